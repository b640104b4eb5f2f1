import Foundation
import TaskCore
import Testing

/// Manual retry of failed and cancelled tasks.
@Suite(.timeLimit(.minutes(1)))
struct RetryConformanceTests {
    /// Runs task 1 through all three attempts to `failed`.
    static func exhaust(_ store: any TaskStore) async throws {
        for attempt in 1...3 {
            let claim = try await store.claimOne(now: at(Double(attempt * 10)))
            _ = try await store.failTask(
                1, token: claim.token, error: "boom \(attempt)", retryAt: attempt < 3 ? at(Double(attempt * 10 + 5)) : nil,
                now: at(Double(attempt * 10 + 1)))
        }
    }

    @Test(arguments: allStoreFactories)
    func retryWithoutResetGrantsExactlyOneMoreAttempt(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create(maxAttempts: 3)
            try await Self.exhaust(store)
            #expect(try await store.task(1).status == .failed)
            let retried = try await store.retryTask(1, resetAttempts: false, now: at(100))
            #expect(retried.status == .pending && retried.attempts == 3 && retried.maxAttempts == 4)
            #expect(retried.runAt == at(100) && retried.updatedAt == at(100))
            #expect(retried.error == nil && retried.result == nil && retried.progress == nil && retried.completedAt == nil)
            let claim = try await store.claimOne(now: at(100))
            #expect(claim.task.attempts == 4 && claim.task.attempts == claim.task.maxAttempts)
        }
    }

    @Test(arguments: allStoreFactories)
    func retryWithResetStartsAFreshSetOfAttempts(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create(maxAttempts: 3)
            try await Self.exhaust(store)
            let retried = try await store.retryTask(1, resetAttempts: true, now: at(100))
            #expect(retried.status == .pending && retried.attempts == 0 && retried.maxAttempts == 3)
            #expect(try await store.claimOne(now: at(100)).task.attempts == 1)
        }
    }

    @Test(arguments: allStoreFactories)
    func cancelledTasksCanBeRetried(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create(runAt: at(500))
            _ = try await store.cancelTask(1, now: at(1))
            let retried = try await store.retryTask(1, resetAttempts: false, now: at(2))
            #expect(retried.status == .pending && retried.runAt == at(2) && retried.attempts == 0 && retried.maxAttempts == 1)
            #expect(try await store.claimOne(now: at(2)).task.id == 1)
        }
    }

    @Test(arguments: allStoreFactories)
    func aRetriedTaskHoldsItsUniqueKeyAgain(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create(uniqueKey: "k")
            _ = try await store.cancelTask(1, now: at(1))
            _ = try await store.retryTask(1, resetAttempts: true, now: at(2))
            let again = try await store.createTask(NewTask(type: "email", uniqueKey: "k"), now: at(3))
            #expect(!again.created && again.task.id == 1)
        }
    }
}
