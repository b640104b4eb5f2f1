import Foundation
import Scheduling
import Testing
import TaskCore

@Suite(.timeLimit(.minutes(1))) struct StressTests {
    @Test(arguments: [false, true])
    func racingCancelsAndRetriesEndInLegalFinalStatusesWithCountsAddingUp(batchingStore: Bool) async throws {
        let taskCount = 2000
        let t = TestService(store: batchingStore ? BatchingStore() : InMemoryTaskStore()) {
            $0.concurrency = 8
            $0.prefetch = 16
            $0.backoff = RetryBackoff(base: .zero, jitter: .none)  // retries are ready at once
        }
        let succeeded = Locked(Set<TaskID>())
        t.service.register("work") { task, context in
            let n = task.payload["n"]?.integerValue ?? 0
            for _ in 0..<Int(n % 4) { await Task.yield() }
            try Task.checkCancellation()
            switch n % 10 {
            case 0: throw TaskFailure.permanent("permanent \(n)")
            case 1, 2: if context.attempt < 2 { throw Boom() }  // succeeds on the second attempt
            case 3: throw Boom()  // always fails, retried until attempts run out
            default: break
            }
            succeeded.update { _ = $0.insert(task.id) }
            return .integer(n)
        }
        var ids: [TaskID] = []
        try await t.running {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for n in 0..<taskCount {
                        let task = try await t.service.createTask(NewTask(type: "work", payload: ["n": .integer(Int64(n))]))
                        if n % 7 == 0 {
                            _ = try? await t.service.cancelTask(task.task.id)  // may race with completion
                        }
                    }
                }
                group.addTask {
                    // A second canceller, racing the pool on tasks that may be running.
                    for id in stride(from: 3, through: taskCount, by: 11) {
                        await Task.yield()
                        _ = try? await t.service.cancelTask(TaskID(Int64(id)))
                    }
                }
                try await group.waitForAll()
            }
            while true {
                await t.settle()
                let stats = try await t.service.taskStats()
                if stats.all[.pending] + stats.all[.processing] + stats.all[.retrying] == 0 { break }
                await Task.yield()
            }
            ids = try await t.store.listTasks(TaskQuery(limit: 1000)).tasks.map(\.id)
                + t.store.listTasks(TaskQuery(limit: 1000, offset: 1000)).tasks.map(\.id)
        }
        let stats = try await t.service.taskStats()
        #expect(stats.total == taskCount)
        #expect(stats.all[.completed] + stats.all[.failed] + stats.all[.cancelled] == taskCount)
        #expect(Set(ids).count == taskCount)
        var completed = 0
        for id in ids {
            let task = try await t.store.task(id)
            let n = task.payload["n"]?.integerValue ?? -1
            switch task.status {
            case .completed:
                completed += 1
                #expect(task.result == .integer(n))
                #expect(n % 10 != 0 && n % 10 != 3)
                #expect(task.attempts == ((n % 10 == 1 || n % 10 == 2) ? 2 : 1))
            case .failed:
                #expect(n % 10 == 0 || n % 10 == 3)
                #expect(task.attempts == (n % 10 == 0 ? 1 : task.maxAttempts))
                #expect(task.error != nil)
            case .cancelled:
                #expect(task.result == nil)
            default:
                Issue.record("task \(id) ended \(task.status)")
            }
        }
        #expect(completed == stats.all[.completed])
        #expect(stats.all[.cancelled] >= taskCount / 7)
        #expect(stats.all[.failed] > 0 && completed > 0)
        // Every completion the store kept came from a handler that returned normally.
        #expect(completed <= succeeded.value.count)
    }
}

@Suite(.timeLimit(.minutes(1))) struct RetentionTests {
    @Test func finishedTasksOlderThanTheRetentionAreDeleted() async throws {
        let t = TestService {
            $0.retention = .seconds(3600)
            $0.retentionInterval = .seconds(600)
        }
        t.service.register("a") { _, _ in nil }
        try await t.running {
            let old = try await t.create("a")
            await t.events.attemptFinished(old.id)
            let waiting = try await t.create("b")  // no handler: stays pending, never pruned
            for _ in 0..<6 {
                await t.settle()
                t.clock.advance(by: .seconds(600))
            }
            await t.settle()
            #expect(try await t.service.task(old.id).status == .completed)  // exactly 1 h old: kept
            t.clock.advance(by: .seconds(600))
            await t.events.first { if case .pruned(1) = $0 { true } else { false } }
            let error = await #expect(throws: TaskCoreError.self) { try await t.service.task(old.id) }
            #expect(error?.code == .notFound)
            #expect(try await t.service.task(waiting.id).status == .pending)
        }
    }

    @Test func zeroRetentionTurnsPruningOff() async throws {
        let t = TestService { $0.retention = .zero; $0.retentionInterval = .seconds(60) }
        t.service.register("a") { _, _ in nil }
        try await t.running {
            let task = try await t.create("a")
            await t.events.attemptFinished(task.id)
            await t.settle()
            t.clock.advance(by: .seconds(86_400 * 30))
            await t.settle()
            #expect(try await t.service.task(task.id).status == .completed)
        }
    }
}
