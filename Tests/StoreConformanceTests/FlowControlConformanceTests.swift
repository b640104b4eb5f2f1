import Foundation
import TaskCore
import Testing

extension TaskStore {
    /// The store's flow-control ability (every store of the package has it).
    func flow(sourceLocation: SourceLocation = #_sourceLocation) throws -> any TaskStoreFlowControl {
        try #require(self as? any TaskStoreFlowControl, "the store supports queues", sourceLocation: sourceLocation)
    }

    /// Creates a task in `queue` with an optional concurrency key.
    func create(inQueue queue: String, key: String? = nil, priority: Priority = .normal, now: Date = t0)
        async throws -> TaskRecord
    {
        try await createTask(NewTask(type: "email", priority: priority, queue: queue, concurrencyKey: key), now: now).task
    }

    /// Completes every task in `tasks` with its lease token.
    func completeAll(_ tasks: [TaskRecord], now: Date = t0) async throws {
        for task in tasks { _ = try await completeTask(task.id, token: task.lease!.token, result: nil, now: now) }
    }
}

/// Queues, limits, pause and priority aging: enforced by the store, atomically with the claim.
@Suite(.timeLimit(.minutes(1)))
struct FlowControlConformanceTests {
    @Test(arguments: allStoreFactories)
    func queueAndKeyAreStoredAndDefaulted(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let plain = try await store.create()
            #expect(plain.queue == "default" && plain.concurrencyKey == nil)
            let keyed = try await store.create(inQueue: "emails.v2", key: "customer-7")
            let read = try await store.task(keyed.id)
            #expect(read.queue == "emails.v2" && read.concurrencyKey == "customer-7")
            await expectError(.invalidArgument) { _ = try await store.create(inQueue: "no spaces") }
            await expectError(.invalidArgument) { _ = try await store.create(inQueue: "") }
            await expectError(.invalidArgument) { _ = try await store.create(inQueue: "q", key: "") }
        }
    }

    /// A limit is proven from the tasks' own `startedAt`/`completedAt`, so every store must convert
    /// an instant to its millisecond the same way, down: a completion at .6 ms once came out a
    /// millisecond later than the start it let through (SQLite rounded to nearest), and three
    /// tasks of a queue limited to two seemed to overlap.
    @Test(arguments: allStoreFactories)
    func subMillisecondInstantsAreStoredRoundedDown(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            for _ in 0..<2 { _ = try await store.create() }
            let claimed = try await store.claim(limit: 2, now: t0.addingTimeInterval(0.0016))
            #expect(claimed.map { $0.startedAt } == [at(0.001), at(0.001)])
            let single = try await store.completeTask(
                claimed[0].id, token: claimed[0].lease!.token, result: nil, now: t0.addingTimeInterval(0.0027))
            #expect(single.completedAt == at(0.002))
            let batched = try await store.completeTasksInBatch(
                [TaskCompletion(id: claimed[1].id, token: claimed[1].lease!.token, result: nil)],
                now: t0.addingTimeInterval(0.0039))
            #expect(try batched[0].get().completedAt == at(0.003))
            #expect(try await store.task(claimed[1].id).completedAt == at(0.003))
        }
    }

    /// A queue's counts follow every status a task can take, including those a store sets without
    /// a transition of its own: created blocked, cancelled by a dependency, deleted (the memory
    /// store once counted the first two as pending and kept the last).
    @Test(arguments: allStoreFactories)
    func queueCountsFollowBlockedCancelledAndDeletedTasks(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let flow = try store.flow()
            let first = try await store.createTask(NewTask(type: "email", queue: "wf"), now: t0).task
            var dependent = NewTask(type: "email", queue: "wf")
            dependent.dependsOn = [first.id]
            let blocked = try await store.createTask(dependent, now: t0).task
            #expect(blocked.status == .blocked)
            var counts = try await flow.queue("wf", now: t0).counts
            #expect(counts[.pending] == 1 && counts[.blocked] == 1)
            _ = try await store.cancelTask(first.id, now: t0)  // cancels the dependent too
            counts = try await flow.queue("wf", now: t0).counts
            #expect(counts[.cancelled] == 2 && counts[.pending] == 0 && counts[.blocked] == 0)
            let doomed = try await store.createTask(dependent, now: t0).task  // its dependency is cancelled already
            #expect(doomed.status == .cancelled)
            #expect(try await flow.queue("wf", now: t0).counts[.cancelled] == 3)
            _ = try await store.workflows().deleteFinalTasks([first.id, blocked.id, doomed.id])
            counts = try await flow.queue("wf", now: t0).counts
            #expect(TaskStatus.allCases.allSatisfy { counts[$0] == 0 })
        }
    }

    @Test(arguments: allStoreFactories)
    func concurrencyHoldsTasksBackInPlace(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let flow = try store.flow()
            _ = try await flow.updateQueue("q", QueueUpdate(concurrency: .some(2)), now: t0)
            var ids: [TaskID] = []
            for _ in 0..<4 { ids.append(try await store.create(inQueue: "q").id) }
            let first = try await store.claim(limit: 10)
            #expect(first.map(\.id) == Array(ids[0..<2]))
            #expect(try await store.claim(limit: 10).isEmpty)
            let held = try await store.task(ids[2])
            #expect(held.status == .pending && held.attempts == 0)
            try await store.completeAll([first[0]])
            #expect(try await store.claim(limit: 10).map(\.id) == [ids[2]])
            let info = try await flow.queue("q", now: t0)
            #expect(info.counts[.processing] == 2 && info.counts[.completed] == 1 && info.counts[.pending] == 1)
            #expect(info.settings.concurrency == 2)
        }
    }

    @Test(arguments: allStoreFactories)
    func perKeyConcurrencyLimitsEachKeyAndSkipsToOthers(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let flow = try store.flow()
            _ = try await flow.updateQueue("q", QueueUpdate(perKeyConcurrency: .some(1)), now: t0)
            let a1 = try await store.create(inQueue: "q", key: "a")
            let a2 = try await store.create(inQueue: "q", key: "a")
            let b1 = try await store.create(inQueue: "q", key: "b")
            let free = try await store.create(inQueue: "q")
            let claimed = try await store.claim(limit: 10)
            #expect(Set(claimed.map(\.id)) == [a1.id, b1.id, free.id])
            #expect(try await store.claim(limit: 10).isEmpty)
            try await store.completeAll(claimed.filter { $0.id == a1.id })
            #expect(try await store.claim(limit: 10).map(\.id) == [a2.id])
        }
    }

    @Test(arguments: allStoreFactories)
    func rateLimitCountsStartsInASlidingWindow(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let flow = try store.flow()
            _ = try await flow.updateQueue("r", QueueUpdate(rateLimit: .some(RateLimit(limit: 2, periodMs: 1000))), now: t0)
            for _ in 0..<5 { _ = try await store.create(inQueue: "r") }
            let first = try await store.claim(limit: 10, now: t0)
            #expect(first.count == 2)
            try await store.completeAll(first, now: at(0.1))
            #expect(try await store.claim(limit: 10, now: at(0.5)).isEmpty)
            let opening = try await flow.nextEligibleTime(ClaimFilter(types: ["email"]), now: at(0.5))
            #expect(opening == at(1))
            #expect(try await store.claim(limit: 10, now: at(0.999)).isEmpty)
            let second = try await store.claim(limit: 10, now: at(1))
            #expect(second.count == 2)
            #expect(second.allSatisfy { $0.attempts == 1 })
            #expect(try await store.claim(limit: 10, now: at(1.5)).isEmpty)
        }
    }

    @Test(arguments: allStoreFactories)
    func pauseStopsStartsButRunningTasksFinish(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let flow = try store.flow()
            _ = try await store.create(inQueue: "p")
            let waiting = try await store.create(inQueue: "p")
            let running = try await store.claim(limit: 1)
            let paused = try await flow.updateQueue("p", QueueUpdate(paused: true), now: t0)
            #expect(paused.settings.paused && paused.settings.updatedAt == t0)
            #expect(try await store.claim(limit: 10).isEmpty)
            try await store.completeAll(running)
            #expect(try await store.task(running[0].id).status == .completed)
            #expect(try await store.claim(limit: 10).isEmpty)
            _ = try await flow.updateQueue("p", QueueUpdate(paused: false), now: t0)
            #expect(try await store.claim(limit: 10).map(\.id) == [waiting.id])
        }
    }

    @Test(arguments: allStoreFactories)
    func aLimitedQueueNeverBlocksOtherQueues(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let flow = try store.flow()
            _ = try await flow.updateQueue("slow", QueueUpdate(paused: true), now: t0)
            _ = try await store.create(inQueue: "slow", priority: .critical)
            _ = try await store.create(inQueue: "slow", priority: .critical)
            let other = try await store.create(inQueue: "fast", priority: .low)
            #expect(try await store.claim(limit: 1).map(\.id) == [other.id])
        }
    }

    @Test(arguments: allStoreFactories)
    func limitsChangedWhileTasksRun(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let flow = try store.flow()
            _ = try await flow.updateQueue("c", QueueUpdate(concurrency: .some(3)), now: t0)
            for _ in 0..<6 { _ = try await store.create(inQueue: "c") }
            let running = try await store.claim(limit: 10)
            #expect(running.count == 3)
            _ = try await flow.updateQueue("c", QueueUpdate(concurrency: .some(1)), now: t0)
            try await store.completeAll([running[0]])
            #expect(try await store.claim(limit: 10).isEmpty, "two still run, over the new limit of one")
            try await store.completeAll(Array(running[1...]))
            #expect(try await store.claim(limit: 10).count == 1)
            let cleared = try await flow.updateQueue("c", QueueUpdate(concurrency: .some(nil)), now: t0)
            #expect(cleared.settings.concurrency == nil)
            #expect(try await store.claim(limit: 10).count == 2)
        }
    }

    @Test(arguments: allStoreFactories)
    func limitsCombine(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let flow = try store.flow()
            _ = try await flow.updateQueue(
                "m",
                QueueUpdate(
                    concurrency: .some(3), perKeyConcurrency: .some(1),
                    rateLimit: .some(RateLimit(limit: 4, periodMs: 10_000))), now: t0)
            for key in ["a", "a", "b", "b", "c", "c", "d", "d"] { _ = try await store.create(inQueue: "m", key: key) }
            let first = try await store.claim(limit: 10)
            #expect(first.count == 3 && Set(first.compactMap(\.concurrencyKey)).count == 3)
            try await store.completeAll(first)
            let second = try await store.claim(limit: 10, now: at(1))
            #expect(second.count == 1, "the rate limit allows four starts per 10 s")
            try await store.completeAll(second, now: at(2))
            // At t0 + 10 s the first three starts left the window; one (at t0 + 1 s) is still in it.
            #expect(try await store.claim(limit: 10, now: at(10)).count == 3)
        }
    }

    @Test(arguments: allStoreFactories)
    func claimsServeOnlyTheRequestedQueues(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let flow = try store.flow()
            _ = try await store.create(inQueue: "a", priority: .critical)
            let b = try await store.create(inQueue: "b")
            let claimed = try await flow.claimTasks(
                ClaimFilter(types: ["email"], queues: ["b"]), worker: "w", limit: 10, leaseDuration: lease, now: t0)
            #expect(claimed.map(\.id) == [b.id])
        }
    }

    @Test(arguments: allStoreFactories)
    func priorityAgingLetsOldLowPriorityTasksAhead(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let flow = try store.flow()
            let old = try await store.create(priority: .low, now: t0)
            let young = try await store.create(priority: .normal, now: at(50))
            let filter = ClaimFilter(types: ["email"], priorityAging: .seconds(10))
            // At t0 + 50 s the old task's effective priority is 1 + 5 = 6 > 5.
            let first = try await flow.claimTasks(filter, worker: "w", limit: 1, leaseDuration: lease, now: at(50))
            #expect(first.map(\.id) == [old.id])
            #expect(try await store.task(old.id).priority == .low, "the stored priority is unchanged")
            let second = try await flow.claimTasks(filter, worker: "w", limit: 1, leaseDuration: lease, now: at(50))
            #expect(second.map(\.id) == [young.id])
        }
    }

    @Test(arguments: allStoreFactories)
    func withoutAgingPriorityStillWins(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create(priority: .low, now: t0)
            let young = try await store.create(priority: .normal, now: at(50))
            #expect(try await store.claim(now: at(50)).map(\.id) == [young.id])
        }
    }

    @Test(arguments: allStoreFactories)
    func queuesExistImplicitlyAndListByName(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let flow = try store.flow()
            let fresh = try await flow.queue("never-used", now: t0)
            #expect(fresh.settings == QueueSettings(name: "never-used"))
            #expect(fresh.counts.total == 0 && fresh.oldestReadyAt == nil)
            await expectError(.invalidArgument) { _ = try await flow.queue("bad name", now: t0) }
            _ = try await store.create(inQueue: "b", now: t0)
            _ = try await store.createTask(NewTask(type: "email", runAt: at(100), queue: "b"), now: t0)
            _ = try await flow.updateQueue("a", QueueUpdate(concurrency: .some(5)), now: t0)
            let queues = try await flow.listQueues(now: at(1))
            #expect(queues.map(\.name) == ["a", "b"])
            #expect(queues[1].counts[.pending] == 2 && queues[1].oldestReadyAt == t0)
            await expectError(.invalidArgument) {
                _ = try await flow.updateQueue("a", QueueUpdate(concurrency: .some(0)), now: t0)
            }
            await expectError(.invalidArgument) {
                _ = try await flow.updateQueue("a", QueueUpdate(rateLimit: .some(RateLimit(limit: 1, periodMs: 0))), now: t0)
            }
        }
    }

    @Test(arguments: allStoreFactories)
    func concurrentClaimersNeverExceedTheLimit(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let flow = try store.flow()
            _ = try await flow.updateQueue("race", QueueUpdate(concurrency: .some(3)), now: t0)
            for _ in 0..<30 { _ = try await store.create(inQueue: "race") }
            for round in 0..<5 {
                let claimed = try await withThrowingTaskGroup(of: [TaskRecord].self) { group in
                    for worker in 0..<8 {
                        group.addTask {
                            try await store.claim(worker: WorkerID("w\(worker)"), limit: 2, now: at(Double(round)))
                        }
                    }
                    var all: [TaskRecord] = []
                    for try await batch in group { all += batch }
                    return all
                }
                #expect(claimed.count == 3, "round \(round): \(claimed.count) claimed under a limit of 3")
                try await store.completeAll(claimed, now: at(Double(round)))
            }
        }
    }
}
