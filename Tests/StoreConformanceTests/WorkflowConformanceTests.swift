import Foundation
import TaskCore
import Testing

extension TaskStore {
    /// The store's workflow ability (every store of the suite has it).
    func workflows(sourceLocation: SourceLocation = #_sourceLocation) throws -> any TaskStoreWorkflows {
        try #require(self as? any TaskStoreWorkflows, "the store has workflows", sourceLocation: sourceLocation)
    }

    /// Creates a task with dependencies.
    func create(
        _ type: String = "email", dependsOn: [TaskID], policy: DependencyFailurePolicy = .cancel, now: Date = t0
    ) async throws -> TaskRecord {
        var draft = NewTask(type: type)
        draft.dependsOn = dependsOn
        draft.onDependencyFailure = policy
        return try await createTask(draft, now: now).task
    }

    /// Claims the task `id` (it must be the next ready one of its type) and completes it with `result`.
    @discardableResult
    func run(_ id: TaskID, type: String = "email", result: JSONValue? = nil, fail: Bool = false, now: Date = t0,
             sourceLocation: SourceLocation = #_sourceLocation) async throws -> TaskRecord {
        let claimed = try await claim([type], limit: 1, now: now)
        try #require(claimed.first?.id == id, "expected to claim task \(id), got \(claimed.map(\.id))", sourceLocation: sourceLocation)
        let token = claimed[0].lease!.token
        if fail { return try await failTask(id, token: token, error: "boom", retryAt: nil, now: now) }
        return try await completeTask(id, token: token, result: result, now: now)
    }

    func status(_ id: TaskID) async throws -> TaskStatus { try await task(id).status }
}

/// Whether a `dependencyResults` entry is present and says "no result".
func hasNoResult(_ entry: JSONValue??) -> Bool {
    if case .some(.none) = entry { return true }
    return false
}

/// Dependencies, batches, search and deletion (contract sections 6 and 7) on every store.
@Suite(.timeLimit(.minutes(2)))
struct WorkflowConformanceTests {
    @Test(arguments: allStoreFactories)
    func chainRunsInOrderAndUnblocksInTheCompletingStep(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let a = try await store.create()
            let b = try await store.create(dependsOn: [a.id])
            let c = try await store.create(dependsOn: [b.id])
            #expect(b.status == .blocked && c.status == .blocked && b.dependsOn == [a.id])
            #expect(try await store.stats().all[.blocked] == 2)
            // Blocked tasks are never claimed.
            let claimed = try await store.claim(limit: 10)
            #expect(claimed.map(\.id) == [a.id])
            _ = try await store.completeTask(a.id, token: claimed[0].lease!.token, result: 1, now: at(1))
            // No sweeper: the completion itself made b ready.
            #expect(try await store.status(b.id) == .pending)
            #expect(try await store.status(c.id) == .blocked)
            try await store.run(b.id, result: 2, now: at(2))
            #expect(try await store.status(c.id) == .pending)
            let results = try await store.workflows().dependencyResults(c.id)
            #expect(results == [b.id: .some(2)])
            let logs = try await store.logs(b.id, limit: 100).map(\.message)
            #expect(logs.contains(LifecycleMessage.blocked(open: 1)) && logs.contains(LifecycleMessage.unblocked))
        }
    }

    @Test(arguments: allStoreFactories)
    func diamondWaitsForBothBranches(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let a = try await store.create()
            let b = try await store.create(dependsOn: [a.id])
            let c = try await store.create(dependsOn: [a.id])
            let d = try await store.create(dependsOn: [b.id, c.id])
            try await store.run(a.id)
            #expect(try await store.status(b.id) == .pending)
            #expect(try await store.status(c.id) == .pending)
            try await store.run(b.id)
            #expect(try await store.status(d.id) == .blocked)
            try await store.run(c.id, result: ["x": 1])
            #expect(try await store.status(d.id) == .pending)
            let results = try await store.workflows().dependencyResults(d.id)
            #expect(results.count == 2 && hasNoResult(results[b.id]) && results[c.id] == .some(["x": 1]))
        }
    }

    @Test(arguments: allStoreFactories)
    func creationRulesAndBadDependencies(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let done = try await store.create()
            try await store.run(done.id)
            let failed = try await store.create()
            try await store.run(failed.id, fail: true)
            #expect(try await store.create(dependsOn: [done.id]).status == .pending)
            let doomed = try await store.create(dependsOn: [done.id, failed.id])
            #expect(doomed.status == .cancelled && doomed.error == "dependency \(failed.id) failed" && doomed.completedAt != nil)
            #expect(try await store.create(dependsOn: [done.id, failed.id], policy: .run).status == .pending)
            let unknown = await expectError(.invalidArgument) { _ = try await store.create(dependsOn: [done.id, 999, 998]) }
            #expect(unknown?.message == "dependsOn: unknown task id 999")
            let duplicate = await expectError(.invalidArgument) { _ = try await store.create(dependsOn: [done.id, done.id]) }
            #expect(duplicate?.message == "dependsOn: duplicate id \(done.id)")
            let many = await expectError(.invalidArgument) {
                _ = try await store.create(dependsOn: (1...101).map { TaskID(Int64($0)) })
            }
            #expect(many?.message == "dependsOn: 101 ids is more than the limit of 100")
            #expect(try await store.listTasks(TaskQuery()).total == 5)
        }
    }

    @Test(arguments: allStoreFactories)
    func failureCascadesTransitivelyUnderCancelAndRunsUnderRun(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let a = try await store.create()
            let b = try await store.create(dependsOn: [a.id])
            let c = try await store.create(dependsOn: [b.id])
            let r = try await store.create(dependsOn: [a.id], policy: .run)
            try await store.run(a.id, fail: true, now: at(1))
            let cancelledB = try await store.task(b.id)
            #expect(cancelledB.status == .cancelled && cancelledB.error == "dependency \(a.id) failed")
            #expect(cancelledB.completedAt == at(1))
            let cancelledC = try await store.task(c.id)
            #expect(cancelledC.status == .cancelled && cancelledC.error == "dependency \(b.id) was cancelled")
            #expect(try await store.status(r.id) == .pending)
            // A user cancel of a blocked task cascades the same way.
            let x = try await store.create()
            let y = try await store.create(dependsOn: [x.id])
            let z = try await store.create(dependsOn: [y.id])
            _ = try await store.cancelTask(y.id, now: at(2))
            #expect(try await store.task(z.id).error == "dependency \(y.id) was cancelled")
            #expect(try await store.status(x.id) == .pending)
        }
    }

    @Test(arguments: allStoreFactories)
    func manualRetryFollowsTheDependencies(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let a = try await store.create()
            let b = try await store.create(dependsOn: [a.id])
            try await store.run(a.id, fail: true)
            #expect(try await store.status(b.id) == .cancelled)
            let refused = await expectError(.invalidTransition) { _ = try await store.retryTask(b.id, resetAttempts: false, now: at(1)) }
            #expect(refused?.message == "Cannot retry task \(b.id): dependency \(a.id) is failed")
            _ = try await store.retryTask(a.id, resetAttempts: true, now: at(2))
            let blocked = try await store.retryTask(b.id, resetAttempts: false, now: at(3))
            #expect(blocked.status == .blocked && blocked.error == nil && blocked.completedAt == nil)
            try await store.run(a.id, now: at(4))
            #expect(try await store.status(b.id) == .pending)
            try await store.run(b.id, fail: true, now: at(5))
            // All dependencies completed: a retry makes it pending.
            #expect(try await store.retryTask(b.id, resetAttempts: false, now: at(6)).status == .pending)
            // Retrying a blocked or pending task is refused as before.
            let c = try await store.create(dependsOn: [b.id])
            await expectError(.invalidTransition) { _ = try await store.retryTask(c.id, resetAttempts: false, now: at(7)) }
        }
    }

    @Test(arguments: allStoreFactories)
    func runPolicyDependentWaitsAgainForARetriedDependency(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let a = try await store.create()
            let b = try await store.create()
            let c = try await store.create(dependsOn: [a.id, b.id], policy: .run)
            try await store.run(a.id, fail: true)
            #expect(try await store.status(c.id) == .blocked)
            _ = try await store.retryTask(a.id, resetAttempts: false, now: at(1))
            try await store.run(b.id, now: at(2))
            #expect(try await store.status(c.id) == .blocked, "a is running again: c waits for it")
            try await store.run(a.id, now: at(3))
            #expect(try await store.status(c.id) == .pending)
        }
    }

    @Test(arguments: allStoreFactories)
    func fanInOfAThousandWithABatchCallbackThatRunsOnce(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let workflows = try store.workflows()
            let drafts = (0..<1000).map { NewTask(type: $0 % 7 == 0 ? "fail" : "email", payload: ["n": .integer(Int64($0))]) }
            var callbackDraft = NewTask(type: "collect")
            callbackDraft.onDependencyFailure = .cancel  // ignored: a callback always runs
            let batch = try await workflows.createBatch(drafts, callback: callbackDraft, now: t0)
            #expect(batch.total == 1000 && batch.taskIds.count == 1000 && batch.status == .running)
            #expect(batch.counts[.pending] == 1000 && batch.finishedAt == nil)
            let callbackID = try #require(batch.callbackTaskId)
            let callback = try await store.task(callbackID)
            #expect(callback.status == .blocked && callback.dependsOn == batch.taskIds && callback.onDependencyFailure == .run)
            #expect(callback.batchId == batch.id)
            #expect(try await store.task(batch.taskIds[0]).batchId == batch.id)
            // Several workers race through the batch.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        while true {
                            let claimed = try await store.claimTasks(
                                types: ["email", "fail"], worker: WorkerID("w\(worker)"), limit: 16, leaseDuration: lease, now: at(1))
                            if claimed.isEmpty { return }
                            for task in claimed {
                                if task.type == "fail" {
                                    _ = try await store.failTask(task.id, token: task.lease!.token, error: "no", retryAt: nil, now: at(2))
                                } else {
                                    _ = try await store.completeTask(task.id, token: task.lease!.token, result: task.payload["n"], now: at(2))
                                }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.status(callbackID) == .pending)
            let claimedCallbacks = try await store.claimTasks(types: ["collect"], worker: "a", limit: 5, leaseDuration: lease, now: at(3))
                + store.claimTasks(types: ["collect"], worker: "b", limit: 5, leaseDuration: lease, now: at(3))
            #expect(claimedCallbacks.map(\.id) == [callbackID], "the callback runs exactly once")
            let results = try await workflows.dependencyResults(callbackID)
            #expect(results.count == 1000 && results[batch.taskIds[1]] == .some(1) && hasNoResult(results[batch.taskIds[0]]))
            let finished = try await workflows.batch(batch.id)
            #expect(finished.status == .failed && finished.finishedAt == at(2))
            #expect(finished.counts[.completed] == 857 && finished.counts[.failed] == 143)
        }
    }

    @Test(arguments: allStoreFactories)
    func batchThatFailsValidationCreatesNothing(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let workflows = try store.workflows()
            let bad = [NewTask(type: "email"), NewTask(type: "email", maxAttempts: 0)]
            let error = await expectError(.invalidArgument) { _ = try await workflows.createBatch(bad, callback: nil, now: t0) }
            #expect(error?.message == "tasks[1].maxAttempts: 0 is out of range 1-100")
            var unknown = NewTask(type: "email")
            unknown.dependsOn = [42]
            let second = await expectError(.invalidArgument) {
                _ = try await workflows.createBatch([NewTask(type: "email"), unknown], callback: NewTask(type: "collect"), now: t0)
            }
            #expect(second?.message.hasPrefix("tasks[1].dependsOn: ") == true)
            await expectError(.invalidArgument) { _ = try await workflows.createBatch([], callback: nil, now: t0) }
            #expect(try await store.listTasks(TaskQuery()).total == 0)
            #expect(try await workflows.listBatches(limit: 50, offset: 0).total == 0)
            // createTasks is all or nothing too.
            await expectError(.invalidArgument) { _ = try await workflows.createTasks(bad, now: t0) }
            #expect(try await store.listTasks(TaskQuery()).total == 0)
            let created = try await workflows.createTasks([NewTask(type: "email"), NewTask(type: "report")], now: t0)
            #expect(created.map(\.task.type) == ["email", "report"] && created.allSatisfy(\.created))
        }
    }

    @Test(arguments: allStoreFactories)
    func batchCountsListAndCallbackAfterCancelledTasks(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let workflows = try store.workflows()
            let first = try await workflows.createBatch([NewTask(type: "email")], callback: nil, now: t0)
            let second = try await workflows.createBatch(
                [NewTask(type: "email"), NewTask(type: "email")], callback: NewTask(type: "collect"), now: at(1))
            let page = try await workflows.listBatches(limit: 50, offset: 0)
            #expect(page.total == 2 && page.batches.map(\.id) == [second.id, first.id])
            #expect(try await workflows.listBatches(limit: 1, offset: 1).batches.map(\.id) == [first.id])
            _ = try await store.cancelTask(second.taskIds[0], now: at(2))
            _ = try await store.cancelTask(second.taskIds[1], now: at(3))
            let cancelled = try await workflows.batch(second.id)
            #expect(cancelled.status == .failed && cancelled.counts[.cancelled] == 2 && cancelled.finishedAt == at(3))
            #expect(try await store.status(second.callbackTaskId!) == .pending, "the callback runs after any outcome")
            await expectError(.notFound) { _ = try await workflows.batch(99) }
        }
    }

    @Test(arguments: allStoreFactories)
    func searchFiltersCombine(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let a = try await store.create(payload: ["user": ["id": 7, "plan": "pro"], "tags": ["x", "y"]], now: at(1))
            let b = try await store.create(payload: ["user": ["id": 7, "plan": "free"]], now: at(2))
            let c = try await store.create(payload: ["user": ["id": 8], "flag": true, "n": 1.5], now: at(3))
            let d = try await store.create(dependsOn: [a.id], now: at(4))
            func ids(_ configure: (inout TaskQuery) -> Void) async throws -> [TaskID] {
                var query = TaskQuery()
                configure(&query)
                return try await store.listTasks(query).tasks.map(\.id)
            }
            #expect(try await ids { $0.payload = ["user": ["id": 7]] } == [b.id, a.id])
            #expect(try await ids { $0.payload = ["user": ["id": 7, "plan": "pro"]] } == [a.id])
            #expect(try await ids { $0.payload = ["tags": ["x", "y"]] } == [a.id])
            #expect(try await ids { $0.payload = ["tags": ["x"]] } == [], "arrays compare whole")
            #expect(try await ids { $0.payload = ["flag": true] } == [c.id])
            #expect(try await ids { $0.payload = ["flag": 1] } == [])
            #expect(try await ids { $0.payload = ["n": 1.5] } == [c.id])
            #expect(try await ids { $0.payload = ["user": ["id": "7"]] } == [])
            #expect(try await ids { $0.createdAfter = at(1); $0.createdBefore = at(4) } == [c.id, b.id])
            #expect(try await ids { $0.dependsOn = a.id } == [d.id])
            #expect(try await ids { $0.statuses = [.blocked] } == [d.id])
            #expect(try await ids { $0.statuses = [.pending]; $0.payload = ["user": ["id": 8]] } == [c.id])
            let page = try await store.listTasks(TaskQuery(limit: 1))
            #expect(page.total == 4)
            let batch = try await store.workflows().createBatch([NewTask(type: "email")], callback: nil, now: at(5))
            #expect(try await ids { $0.batchId = batch.id } == batch.taskIds)
            #expect(try await ids { $0.ids = [a.id, c.id] } == [c.id, a.id])
            #expect(try await ids { $0.beforeID = c.id } == [b.id, a.id])
        }
    }

    @Test(arguments: allStoreFactories)
    func deleteRemovesOnlyFinalTasksWithTheirLogs(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let a = try await store.create()
            let b = try await store.create()
            try await store.run(a.id)
            let deleted = try await store.workflows().deleteFinalTasks([a.id, b.id, 99])
            #expect(deleted == [a.id])
            await expectError(.notFound) { _ = try await store.task(a.id) }
            await expectError(.notFound) { _ = try await store.logs(a.id, limit: 10) }
            #expect(try await store.status(b.id) == .pending)
            #expect(try await store.stats().all[.completed] == 0)
        }
    }
}

extension WorkflowConformanceTests {
    /// A dependency that was pruned or deleted was final, and counts as completed when its
    /// dependent is retried, on every store. (The in-memory store read a pruned dependency's slot
    /// out of range, a crash, and refused the retry with a deleted dependency's old status.)
    @Test(arguments: allStoreFactories)
    func aPrunedOrDeletedDependencyCountsAsCompletedOnRetry(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            guard let pruning = store as? any TaskStorePruning else { return }
            let a = try await store.create()
            let b = try await store.create("other", dependsOn: [a.id])
            try await store.run(a.id, now: at(1))
            try await store.run(b.id, type: "other", fail: true, now: at(2))
            #expect(try await pruning.pruneFinishedTasks(completedBefore: at(5)) == 1)
            await expectError(.notFound) { _ = try await store.task(a.id) }
            #expect(try await store.retryTask(b.id, resetAttempts: true, now: at(6)).status == .pending)

            // Policy `cancel`: c failed, so d was cancelled; once c is deleted, d may run again.
            let c = try await store.create()
            let d = try await store.create("other", dependsOn: [c.id])
            try await store.run(c.id, fail: true, now: at(7))
            #expect(try await store.status(d.id) == .cancelled)
            #expect(try await store.workflows().deleteFinalTasks([c.id]) == [c.id])
            #expect(try await store.retryTask(d.id, resetAttempts: true, now: at(8)).status == .pending)
        }
    }
}
