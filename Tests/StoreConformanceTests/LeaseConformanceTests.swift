import Foundation
import TaskCore
import Testing

/// Lease renewal, cancellation notices and recovery of expired leases.
@Suite(.timeLimit(.minutes(1)))
struct LeaseConformanceTests {
    @Test(arguments: allStoreFactories)
    func renewalExtendsTheLease(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create()
            let claim = try await store.claimOne()
            #expect(try await store.renewLease(1, token: claim.token, until: at(50), now: at(20)) == .renewed(until: at(50)))
            #expect(try await store.task(1).lease?.expiresAt == at(50))
            #expect(try await store.recoverExpiredLeases(now: at(45)).isEmpty)
            #expect(try await store.task(1).status == .processing)
        }
    }

    @Test(arguments: allStoreFactories)
    func renewalReportsCancellationAndLoss(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create()
            _ = try await store.create()
            let one = try await store.claimOne()
            let two = try await store.claimOne()
            #expect(try await store.renewLease(1, token: one.token + 100, until: at(60), now: at(1)) == .lost)
            _ = try await store.cancelTask(1, now: at(2))
            #expect(try await store.renewLease(1, token: one.token, until: at(60), now: at(3)) == .cancelled)
            _ = try await store.recoverExpiredLeases(now: at(31))
            let again = try await store.claimOne(worker: "w2", now: at(31))
            #expect(again.task.id == 2)
            #expect(try await store.renewLease(2, token: two.token, until: at(90), now: at(32)) == .lost)
            #expect(try await store.renewLease(2, token: again.token, until: at(90), now: at(32)) == .renewed(until: at(90)))
            _ = try await store.completeTask(2, token: again.token, result: nil, now: at(33))
            #expect(try await store.renewLease(2, token: again.token, until: at(99), now: at(34)) == .lost)
        }
    }

    @Test(arguments: allStoreFactories)
    func expiredLeaseReturnsTheTaskToTheQueue(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create()
            _ = try await store.create()
            let one = try await store.claimOne()
            _ = try await store.claimOne(now: at(10))
            #expect(try await store.recoverExpiredLeases(now: at(30)).isEmpty, "a lease running out exactly now is not expired")
            let recovered = try await store.recoverExpiredLeases(now: at(31))
            #expect(recovered.map(\.id) == [1])
            let task = try #require(recovered.first)
            #expect(task.status == .retrying && task.runAt == at(31) && task.lease == nil && task.attempts == 1)
            #expect(task.completedAt == nil)
            #expect(try await store.task(2).status == .processing)
            let again = try await store.claimOne(now: at(31))
            #expect(again.task.id == 1 && again.task.attempts == 2 && again.token > one.token)
        }
    }

    @Test(arguments: allStoreFactories)
    func expiredLeaseWithoutAttemptsLeftFailsTheTask(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create(maxAttempts: 1)
            _ = try await store.claimOne()
            let recovered = try await store.recoverExpiredLeases(now: at(60))
            let task = try #require(recovered.first)
            #expect(task.status == .failed && task.completedAt == at(60) && task.lease == nil)
            #expect(task.error?.isEmpty == false)
            #expect(try await store.claim(now: at(61)).isEmpty)
            #expect(try await store.recoverExpiredLeases(now: at(120)).isEmpty)
        }
    }
}
