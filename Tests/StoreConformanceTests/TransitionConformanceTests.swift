import Foundation
import TaskCore
import Testing

/// Every legal and illegal status change, driven through the store operations.
@Suite(.timeLimit(.minutes(1)))
struct TransitionConformanceTests {
    @Test(arguments: allStoreFactories)
    func createdTaskIsPendingWithIncreasingIds(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let first = try await store.create(payload: ["to": "a@b.c"])
            let second = try await store.create("report", priority: .high, maxAttempts: 5)
            #expect(first.id == 1 && second.id == 2)
            #expect(first.status == .pending && first.attempts == 0 && first.maxAttempts == 3)
            #expect(first.payload == ["to": "a@b.c"] && first.priority == .normal)
            #expect(first.runAt == t0 && first.createdAt == t0 && first.updatedAt == t0)
            #expect(first.startedAt == nil && first.completedAt == nil && first.lease == nil)
            #expect(first.result == nil && first.error == nil && first.progress == nil)
            #expect(second.type == "report" && second.priority == .high && second.maxAttempts == 5)
            #expect(try await store.task(1) == first)
        }
    }

    @Test(arguments: allStoreFactories)
    func delayAndRunAtAreHonouredToTheMillisecond(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let delayed = try await store.createTask(NewTask(type: "email", delay: .milliseconds(1500)), now: t0).task
            #expect(delayed.runAt == at(1.5))
            let explicit = try await store.create(runAt: t0.addingTimeInterval(10.0019))
            #expect(explicit.runAt == at(10.001))
            let subMillisecondNow = try await store.create(now: t0.addingTimeInterval(0.0009))
            #expect(subMillisecondNow.createdAt == t0 && subMillisecondNow.runAt == t0)
        }
    }

    @Test(arguments: allStoreFactories)
    func invalidDraftsAreRejected(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            for draft in [
                NewTask(type: ""), NewTask(type: "email", maxAttempts: 0), NewTask(type: "email", maxAttempts: 101),
                NewTask(type: "a\u{7}b"), NewTask(type: "email", uniqueKey: ""),
                NewTask(type: "email", delay: .milliseconds(-1)),
            ] {
                await expectError(.invalidArgument) { _ = try await store.createTask(draft, now: t0) }
            }
            let page = try await store.listTasks(TaskQuery())
            #expect(page.total == 0)
        }
    }

    @Test(arguments: allStoreFactories)
    func claimStartsAnAttemptUnderALease(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create()
            let (task, token) = try await store.claimOne(worker: "worker-a", now: at(1))
            #expect(task.status == .processing && task.attempts == 1)
            #expect(task.startedAt == at(1) && task.updatedAt == at(1) && task.progress == nil)
            #expect(task.lease == Lease(worker: "worker-a", token: token, expiresAt: at(31)))
            #expect(try await store.task(1).status == .processing)
            #expect(try await store.claim(now: at(2)).isEmpty)
        }
    }

    @Test(arguments: allStoreFactories)
    func completeStoresTheResultAndIsFinal(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create()
            let (_, token) = try await store.claimOne()
            let done = try await store.completeTask(1, token: token, result: ["ok": true], now: at(2))
            #expect(done.status == .completed && done.result == ["ok": true] && done.completedAt == at(2))
            #expect(done.lease == nil && done.updatedAt == at(2))
            await expectError(.leaseLost) { _ = try await store.completeTask(1, token: token, result: nil, now: at(3)) }
            let cancel = await expectError(.invalidTransition) { _ = try await store.cancelTask(1, now: at(3)) }
            #expect(cancel?.message == "Cannot cancel task 1: status is completed")
            await expectError(.invalidTransition) { _ = try await store.retryTask(1, resetAttempts: false, now: at(3)) }
            #expect(try await store.claim(now: at(4)).isEmpty)
            _ = try await store.create()
            let second = try await store.claimOne(now: at(5))
            #expect(try await store.completeTask(2, token: second.token, result: .null, now: at(6)).result == nil)
            #expect(try await store.task(2).result == nil)
        }
    }

    @Test(arguments: allStoreFactories)
    func failWithRetryAtRetriesThenWithoutFailsForGood(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create()
            let first = try await store.claimOne()
            let retrying = try await store.failTask(1, token: first.token, error: "boom", retryAt: at(10), now: at(1))
            #expect(retrying.status == .retrying && retrying.error == "boom" && retrying.runAt == at(10))
            #expect(retrying.lease == nil && retrying.completedAt == nil && retrying.attempts == 1)
            #expect(try await store.claim(now: at(9.999)).isEmpty)
            let second = try await store.claimOne(now: at(10))
            #expect(second.task.attempts == 2 && second.token > first.token)
            let failed = try await store.failTask(1, token: second.token, error: "boom again", retryAt: nil, now: at(11))
            #expect(failed.status == .failed && failed.error == "boom again" && failed.completedAt == at(11))
            #expect(try await store.claim(now: at(100)).isEmpty)
        }
    }

    @Test(arguments: allStoreFactories)
    func cancelIsAllowedFromPendingRetryingAndProcessingOnly(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            for _ in 1...4 { _ = try await store.create() }
            let one = try await store.claimOne()
            _ = try await store.failTask(1, token: one.token, error: "x", retryAt: at(60), now: t0)
            let two = try await store.claimOne()
            let three = try await store.claimOne()
            _ = try await store.failTask(3, token: three.token, error: "x", retryAt: nil, now: t0)
            #expect(two.task.id == 2 && three.task.id == 3)
            // Now: 1 retrying, 2 processing, 3 failed, 4 pending.
            for id: TaskID in [1, 2, 4] {
                let cancelled = try await store.cancelTask(id, now: at(5))
                #expect(cancelled.status == .cancelled && cancelled.completedAt == at(5) && cancelled.lease == nil)
            }
            for id: TaskID in [1, 3] {
                let error = await expectError(.invalidTransition) { _ = try await store.cancelTask(id, now: at(6)) }
                #expect(error?.message.hasPrefix("Cannot cancel task \(id): status is") == true)
            }
            await expectError(.leaseLost) { _ = try await store.completeTask(2, token: two.token, result: nil, now: at(7)) }
            #expect(try await store.claim(now: at(100)).isEmpty)
        }
    }

    @Test(arguments: allStoreFactories)
    func releaseReturnsTheTaskUncounted(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create()
            let first = try await store.claimOne()
            let released = try await store.releaseTask(1, token: first.token, now: at(1))
            #expect(released.status == .pending && released.attempts == 0 && released.lease == nil)
            await expectError(.leaseLost) { _ = try await store.releaseTask(1, token: first.token, now: at(1)) }
            let second = try await store.claimOne(now: at(2))
            #expect(second.task.attempts == 1 && second.token > first.token)
        }
    }

    @Test(arguments: allStoreFactories)
    func manualRetryIsRefusedOutsideFailedAndCancelled(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create()  // 1 processing
            _ = try await store.create()  // 2 retrying
            _ = try await store.create()  // 3 pending
            let c1 = try await store.claimOne()
            let c2 = try await store.claimOne()
            _ = try await store.failTask(2, token: c2.token, error: "x", retryAt: at(60), now: t0)
            for id: TaskID in [1, 2, 3] {
                let error = await expectError(.invalidTransition) {
                    _ = try await store.retryTask(id, resetAttempts: false, now: at(1))
                }
                #expect(error?.message.hasPrefix("Cannot retry task \(id): status is") == true)
            }
            #expect(try await store.task(1).lease?.token == c1.token)
        }
    }

    @Test(arguments: allStoreFactories)
    func unknownIdsAreNotFound(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create()
            let missing: TaskID = 42
            await expectError(.notFound) { _ = try await store.task(missing) }
            await expectError(.notFound) { _ = try await store.cancelTask(missing, now: t0) }
            await expectError(.notFound) { _ = try await store.retryTask(missing, resetAttempts: true, now: t0) }
            await expectError(.notFound) { _ = try await store.completeTask(missing, token: 1, result: nil, now: t0) }
            await expectError(.notFound) { _ = try await store.failTask(missing, token: 1, error: "x", retryAt: nil, now: t0) }
            await expectError(.notFound) { _ = try await store.releaseTask(missing, token: 1, now: t0) }
            await expectError(.notFound) { try await store.reportProgress(missing, token: 1, progress: 5, now: t0) }
            await expectError(.notFound) { _ = try await store.renewLease(missing, token: 1, until: at(60), now: t0) }
            await expectError(.notFound) {
                try await store.appendLog(missing, token: nil, level: .info, message: "x", now: t0)
            }
            await expectError(.notFound) { _ = try await store.logs(missing, limit: 10) }
            await expectError(.notFound) { _ = try await store.task(0) }
        }
    }
}
