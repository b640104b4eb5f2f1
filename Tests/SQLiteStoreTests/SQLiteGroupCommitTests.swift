import Foundation
import SQLiteStore
import TaskCore
import Testing

/// Concurrent operations share commits; each must still succeed or fail on its own.
@Suite struct SQLiteGroupCommitTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(.timeLimit(.minutes(1)))
    func concurrentOperationsSucceedOrFailEachOnTheirOwn() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteTaskStore(path: directory.path("tasks.sqlite"))
        let now = self.now
        for _ in 0..<200 { _ = try await store.createTask(NewTask(type: "work"), now: now) }
        let claimed = try await store.claimTasks(
            types: ["work"], worker: "w", limit: 200, leaseDuration: .seconds(30), now: now)
        #expect(claimed.count == 200)
        // Even positions complete with their token; odd ones use a stale token and must be refused
        // without undoing their neighbours in the same commit.
        let outcomes = await withTaskGroup(of: (Int, TaskCoreError.Code?).self) { group in
            for (index, task) in claimed.enumerated() {
                group.addTask {
                    let token = task.lease!.token + (index.isMultiple(of: 2) ? 0 : 1)
                    do throws(TaskCoreError) {
                        _ = try await store.completeTask(task.id, token: token, result: ["i": .integer(Int64(index))], now: now)
                        return (index, nil)
                    } catch {
                        return (index, error.code)
                    }
                }
            }
            var outcomes: [Int: TaskCoreError.Code?] = [:]
            for await (index, code) in group { outcomes[index] = code }
            return outcomes
        }
        for (index, code) in outcomes {
            #expect(code == (index.isMultiple(of: 2) ? nil : .leaseLost), "task at \(index)")
        }
        let stats = try await store.stats()
        #expect(stats.all[.completed] == 100)
        #expect(stats.all[.processing] == 100)
        for (index, task) in claimed.enumerated() {
            let stored = try await store.task(task.id)
            #expect(stored.status == (index.isMultiple(of: 2) ? .completed : .processing))
            let logs = try await store.logs(task.id, limit: 10)
            #expect(logs.count == (index.isMultiple(of: 2) ? 3 : 2))
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aChangeIsVisibleToAnotherConnectionOnceItsCallReturns() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("tasks.sqlite")
        let writer = try SQLiteTaskStore(path: path)
        let reader = try SQLiteTaskStore(path: path)
        for index in 0..<50 {
            let created = try await writer.createTask(NewTask(type: "work", payload: ["i": .integer(Int64(index))]), now: now)
            #expect(try await reader.task(created.task.id) == created.task)
        }
    }
}
