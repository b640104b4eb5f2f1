import Foundation
import Scheduling
import Testing
import TaskCore

@Suite(.timeLimit(.minutes(1))) struct WorkerPoolTests {
    @Test func runsAHandlerAndStoresItsResultLogsAndProgress() async throws {
        let t = TestService()
        t.service.register("email") { task, context in
            await context.log("sending to \(task.payload["to"]?.stringValue ?? "?")")
            try await context.progress(50)
            return ["sent": true, "attempt": .integer(Int64(context.attempt))]
        }
        try await t.running {
            let task = try await t.create("email", payload: ["to": "a@b.c"])
            await t.events.attemptFinished(task.id)
            let done = try await t.service.task(task.id)
            #expect(done.status == .completed)
            #expect(done.result == ["sent": true, "attempt": 1])
            #expect(done.progress == 50)
            let logs = try await t.service.taskLogs(task.id, limit: 100)
            #expect(logs.contains { $0.message == "sending to a@b.c" && $0.attempt == 1 })
        }
    }

    @Test func aNullResultIsStoredAsNoResult() async throws {
        let t = TestService()
        t.service.register("noop") { _, _ in nil }
        try await t.running {
            let task = try await t.create("noop")
            await t.events.attemptFinished(task.id)
            let done = try await t.service.task(task.id)
            #expect(done.status == .completed)
            #expect(done.result == Optional<JSONValue>.none)
        }
    }

    @Test func claimsOnlyTypesItHasHandlersFor() async throws {
        let t = TestService()
        t.service.register("mine") { _, _ in "ok" }
        try await t.running {
            let other = try await t.create("theirs")
            let mine = try await t.create("mine")
            await t.events.attemptFinished(mine.id)
            await t.settle()
            #expect(try await t.service.task(other.id).status == .pending)
            #expect(try await t.service.unhandledTaskTypes() == ["theirs": 1])
        }
    }

    @Test func servicesWithDifferentHandlersShareOneStore() async throws {
        let store = InMemoryTaskStore()
        let clock = ManualClock()
        let a = TestService(store: store, clock: clock) { $0.runsScheduler = false }
        let b = TestService(store: store, clock: clock) { $0.runsScheduler = false }
        a.service.register("alpha") { _, _ in "A" }
        b.service.register("beta") { _, _ in "B" }
        try await a.running {
            try await b.running {
                let alpha = try await a.create("alpha")
                let beta = try await a.create("beta")  // enqueued through a, served by b
                await a.events.attemptFinished(alpha.id)
                // b learns of the task from other service at its next poll.
                await clock.waitForSleepers(4)
                clock.advance(by: b.service.configuration.pollInterval)
                await b.events.attemptFinished(beta.id)
                #expect(try await store.task(alpha.id).result == "A")
                #expect(try await store.task(beta.id).result == "B")
            }
        }
    }

    @Test func unhandledTypeWaitingTooLongIsWarnedAboutOnce() async throws {
        let t = TestService { $0.unhandledTypeWarningAge = .seconds(60); $0.unhandledTypeCheckInterval = .seconds(30) }
        t.service.register("mine") { _, _ in nil }
        try await t.running {
            _ = try await t.create("orphan")
            _ = try await t.create("orphan")
            await t.settle()
            t.clock.advance(by: .seconds(30))
            await t.settle()
            #expect(t.events.count { if case .unhandledTaskType = $0 { true } else { false } } == 0)
            t.clock.advance(by: .seconds(30))
            let event = await t.events.first { if case .unhandledTaskType = $0 { true } else { false } }
            guard case .unhandledTaskType(let type, let waiting) = event else { return }
            #expect(type == "orphan" && waiting == 2)
            #expect(event.level == .warn)
            await t.settle()
            t.clock.advance(by: .seconds(30))
            await t.settle()
            #expect(t.events.count { if case .unhandledTaskType = $0 { true } else { false } } == 1)
        }
    }

    @Test func delayedTaskStartsAtRunAtAndNotBefore() async throws {
        let t = TestService { $0.pollInterval = .seconds(60) }
        let started = Locked<Date?>(nil)
        let clock = t.clock
        t.service.register("later") { _, _ in
            started.update { $0 = clock.now }
            return nil
        }
        try await t.running {
            let task = try await t.create("later") { $0.delay = .seconds(10) }
            await t.settle()
            // The idle claimer sleeps until the task's runAt, not a busy poll.
            #expect(t.clock.nextDeadline == task.runAt)
            t.clock.advance(by: .seconds(9))
            await t.settle()
            #expect(try await t.service.task(task.id).status == .pending)
            t.clock.advance(by: .seconds(1))
            await t.events.attemptFinished(task.id)
            #expect(started.value == task.runAt)
        }
    }

    @Test func statsCountPerStatusAndTypeWithMeanDuration() async throws {
        let t = TestService()
        t.service.register("timed") { _, context in
            try await context.sleep(for: .seconds(2))
            return nil
        }
        try await t.running {
            let task = try await t.create("timed")
            await t.settle(extra: 1)
            t.clock.advance(by: .seconds(2))
            await t.events.attemptFinished(task.id)
            _ = try await t.create("other")
            let stats = try await t.service.taskStats()
            #expect(stats.all[.completed] == 1)
            #expect(stats.byType["other"]?[.pending] == 1)
            #expect(stats.meanCompletedDurationMilliseconds == 2000)
        }
    }
}

@Suite(.timeLimit(.minutes(1))) struct StoreNotificationTests {
    @Test func aNotifyingStoreWakesTheIdlePoolWithoutWaitingForThePoll() async throws {
        let store = NotifyingStore()
        let clock = ManualClock()
        let events = EventCollector()
        let service = WorkerService(
            store: store,
            configuration: WorkerConfiguration(concurrency: 1, pollInterval: .seconds(3600), runsScheduler: false, shutdownGracePeriod: .zero),
            clock: clock, events: events.sink)
        service.register("remote") { _, _ in "seen" }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            await clock.waitForSleepers(2)
            // Enqueued by "another process": straight into the store, so nothing wakes the pool...
            let task = try await store.createTask(NewTask(type: "remote"), now: clock.now).task
            await clock.waitForSleepers(2)
            #expect(try await store.task(task.id).status == .pending)
            // ...until the store's notification arrives; the clock does not move.
            store.notify()
            await events.attemptFinished(task.id, status: .completed)
            service.shutdown()
            try await group.waitForAll()
        }
    }
}

@Suite(.timeLimit(.minutes(1))) struct TaskContextTests {
    @Test func progressOutOfRangeIsRefusedWithTheFieldNamed() async throws {
        let t = TestService()
        let refused = Locked<TaskCoreError?>(nil)
        t.service.register("p") { _, context in
            do { try await context.progress(101) } catch { refused.update { $0 = error as? TaskCoreError } }
            #expect(!context.isInterrupted)
            return nil
        }
        try await t.running {
            let task = try await t.create("p")
            await t.events.attemptFinished(task.id)
            #expect(refused.value?.code == .invalidArgument)
            #expect(refused.value?.field == "progress")
            #expect(try await t.service.task(task.id).progress == nil)
        }
    }

    @Test func linesWrittenAfterACancelAreDropped() async throws {
        let t = TestService()
        let gate = Gate()
        let resume = Gate()
        t.service.register("chatty") { _, context in
            await context.log("before")
            gate.open()
            await resume.wait()
            await context.log(.warn, "after the cancel")
            return nil
        }
        try await t.running {
            let task = try await t.create("chatty")
            await gate.wait()
            _ = try await t.service.cancelTask(task.id)
            resume.open()
            await t.events.attemptFinished(task.id, status: .cancelled)
            let messages = try await t.service.taskLogs(task.id, limit: 100).map(\.message)
            #expect(messages.contains("before"))
            #expect(!messages.contains("after the cancel"))
        }
    }
}
