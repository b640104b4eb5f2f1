import Foundation
@testable import SQLiteStore
import TaskCore
import Testing

@Suite struct SQLiteTaskStoreBehaviourTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(.timeLimit(.minutes(1)))
    func twoStoresOnOneFileNeverClaimTheSameTask() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("shared.sqlite")
        let a = try SQLiteTaskStore(path: path)
        let b = try SQLiteTaskStore(path: path)
        for index in 0..<300 {
            _ = try await (index.isMultiple(of: 2) ? a : b).createTask(NewTask(type: "work"), now: now)
        }
        let now = self.now
        func drain(_ store: SQLiteTaskStore, worker: WorkerID) async throws -> [TaskID] {
            var ids: [TaskID] = []
            while true {
                let claimed = try await store.claimTasks(
                    types: ["work"], worker: worker, limit: 7, leaseDuration: .seconds(30), now: now)
                if claimed.isEmpty { return ids }
                ids += claimed.map(\.id)
                await Task.yield()
            }
        }
        async let fromA = drain(a, worker: "a")
        async let fromB = drain(b, worker: "b")
        let all = try await fromA + fromB
        #expect(all.count == 300)
        #expect(Set(all).count == 300)
    }

    @Test(.timeLimit(.minutes(1)))
    func fencingTokensKeepGrowingAcrossReopen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("tasks.sqlite")
        let first: Lease
        do {
            let store = try SQLiteTaskStore(path: path)
            let task = try await store.createTask(NewTask(type: "work"), now: now).task
            first = try #require(try await store.claimTasks(
                types: ["work"], worker: "w", limit: 1, leaseDuration: .seconds(1), now: now
            ).first?.lease)
            _ = task
        }
        let store = try SQLiteTaskStore(path: path)
        let later = now.addingTimeInterval(5)
        let recovered = try await store.recoverExpiredLeases(now: later)
        #expect(recovered.map(\.status) == [.retrying])
        let second = try #require(try await store.claimTasks(
            types: ["work"], worker: "w2", limit: 1, leaseDuration: .seconds(30), now: later
        ).first)
        #expect(second.lease!.token > first.token)
        // The first worker, back from the dead, is fenced out.
        let error = await #expect(throws: TaskCoreError.self) {
            try await store.completeTask(second.id, token: first.token, result: nil, now: later)
        }
        #expect(error?.code == .leaseLost)
    }

    @Test(.timeLimit(.minutes(1)), arguments: [
        "'); DROP TABLE tasks; --", "\" OR 1=1 --", "type\u{0}with nul", "ünïcødé ✓", String(repeating: "x", count: 200),
    ])
    func hostileTextIsStoredVerbatim(text: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteTaskStore(path: directory.path("tasks.sqlite"))
        let payload: JSONValue = ["text": .string(text), "nested": ["list": [.string(text), 1, 2.5, true, nil]]]
        let type = text.contains("\u{0}") ? "nul" : text
        let created = try await store.createTask(NewTask(type: type, payload: payload, uniqueKey: text), now: now).task
        #expect(try await store.task(created.id).payload == payload)
        #expect(try await store.task(created.id).type == type)
        #expect(try await store.listTasks(TaskQuery(type: type)).total == 1)
        try await store.appendLog(created.id, token: nil, level: .info, message: text, now: now)
        #expect(try await store.logs(created.id, limit: 10).last?.message == text)
        #expect(try await store.createTask(NewTask(type: type, uniqueKey: text), now: now).created == false)
    }

    @Test(.timeLimit(.minutes(1)))
    func batchCompletionCompletesHeldTasksAndReportsTheOthers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteTaskStore(path: directory.path("tasks.sqlite"))
        for _ in 0..<3 { _ = try await store.createTask(NewTask(type: "work"), now: now) }
        let claimed = try await store.claimTasks(
            types: ["work"], worker: "w", limit: 3, leaseDuration: .seconds(30), now: now)
        #expect(claimed.count == 3)
        let later = now.addingTimeInterval(0.25)
        let outcomes = try await store.completeTasks(
            [
                TaskCompletion(id: claimed[0].id, token: claimed[0].lease!.token, result: ["n": 1]),
                TaskCompletion(id: claimed[1].id, token: claimed[1].lease!.token + 1, result: nil),
                TaskCompletion(id: 99, token: 1, result: nil),
                TaskCompletion(id: claimed[2].id, token: claimed[2].lease!.token, result: nil),
            ], now: later)
        #expect(outcomes.count == 4)
        #expect((try? outcomes[0].get())?.status == .completed)
        #expect((try? outcomes[0].get())?.result == ["n": 1])
        #expect(outcomes[1].errorCode == .leaseLost)
        #expect(outcomes[2].errorCode == .notFound)
        #expect((try? outcomes[3].get())?.status == .completed)
        #expect(try await store.task(claimed[1].id).status == .processing)
        #expect(try await store.logs(claimed[0].id, limit: 10).last?.message == "completed in 250 ms")
        let stats = try await store.stats()
        #expect(stats.all[.completed] == 2)
        #expect(stats.completedDurationTotalMilliseconds == 500)
    }

    @Test(.timeLimit(.minutes(1)))
    func pruningDeletesOldFinishedTasksWithTheirLogsAndNeverReusesIds() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteTaskStore(path: directory.path("tasks.sqlite"))
        var finished: [TaskID] = []
        for _ in 0..<1200 { finished.append(try await store.createTask(NewTask(type: "work"), now: now).task.id) }
        let kept = try await store.createTask(NewTask(type: "work", runAt: now.addingTimeInterval(3600)), now: now).task
        var remaining = 1200
        while remaining > 0 {
            let claimed = try await store.claimTasks(
                types: ["work"], worker: "w", limit: 100, leaseDuration: .seconds(30), now: now)
            _ = try await store.completeTasks(
                claimed.map { TaskCompletion(id: $0.id, token: $0.lease!.token, result: nil) }, now: now)
            remaining -= claimed.count
        }
        _ = try await store.cancelTask(kept.id, now: now.addingTimeInterval(10))
        let deleted = try await store.pruneFinishedTasks(completedBefore: now.addingTimeInterval(1))
        #expect(deleted == 1200)
        let logRows = try store.withConnection { (db) throws(TaskCoreError) in
            try db.statement("SELECT count(*) FROM task_logs WHERE task_id <> ?1").bind(1, kept.id.rawValue)
                .firstRow { $0.int(0) }
        }
        #expect(logRows == 0)
        #expect(try await store.task(kept.id).status == .cancelled)
        let error = await #expect(throws: TaskCoreError.self) { try await store.task(finished[0]) }
        #expect(error?.code == .notFound)
        let next = try await store.createTask(NewTask(type: "work"), now: now).task
        #expect(next.id > kept.id)
    }

    @Test func dispatchQueryUsesThePartialDispatchIndex() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteTaskStore(path: directory.path("tasks.sqlite"))
        let plan = try store.withConnection { (db) throws(TaskCoreError) in
            try db.statement(
                "EXPLAIN QUERY PLAN SELECT priority, run_at, id FROM tasks WHERE type = ?1 "
                    + "AND status IN ('pending', 'retrying') AND run_at <= ?2 ORDER BY priority DESC, run_at, id LIMIT ?3"
            ).rows { $0.string(3) }
        }
        #expect(plan.contains { $0.contains("tasks_dispatch") }, "plan: \(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "plan: \(plan)")
    }
}

extension Result where Failure == TaskCoreError {
    /// The error code of a failure, or `nil`.
    var errorCode: TaskCoreError.Code? {
        if case .failure(let error) = self { return error.code }
        return nil
    }
}
