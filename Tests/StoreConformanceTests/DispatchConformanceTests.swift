import Foundation
import TaskCore
import Testing

/// Dispatch order, type filtering and delayed tasks.
@Suite(.timeLimit(.minutes(1)))
struct DispatchConformanceTests {
    @Test(arguments: allStoreFactories)
    func claimsFollowPriorityThenRunAtThenId(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let now = at(100)
            let a = try await store.create(priority: .normal, runAt: at(90), now: now)
            let b = try await store.create(priority: .high, runAt: at(100), now: now)
            let c = try await store.create(priority: .high, runAt: at(95), now: now)
            let d = try await store.create(priority: .normal, runAt: at(90), now: now)
            let e = try await store.create(priority: .critical, runAt: at(200), now: now)
            let f = try await store.create(priority: .low, now: now)
            var order: [TaskID] = []
            while let next = try await store.claim(now: now).first { order.append(next.id) }
            #expect(order == [c.id, b.id, a.id, d.id, f.id])
            #expect(try await store.claim(now: at(200)).map(\.id) == [e.id])
        }
    }

    @Test(arguments: allStoreFactories)
    func batchClaimsComeInDispatchOrder(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            for priority in [1, 20, 5, 10, 5] { _ = try await store.create(priority: Priority(rawValue: priority)!) }
            let batch = try await store.claim(limit: 3)
            #expect(batch.map(\.id) == [2, 4, 3])
            #expect(try await store.claim(limit: 10).map(\.id) == [5, 1])
        }
    }

    @Test(arguments: allStoreFactories)
    func claimsReturnOnlyRequestedTypes(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create("a", priority: .low)
            _ = try await store.create("b", priority: .critical)
            _ = try await store.create("c", priority: .high)
            _ = try await store.create("a", priority: .normal)
            #expect(try await store.claim(["a"], limit: 10).map(\.id) == [4, 1])
            #expect(try await store.claim(["zzz"], limit: 10).isEmpty)
            #expect(try await store.claim(["b", "c"], limit: 10).map(\.id) == [2, 3])
            #expect(try await store.claim([], limit: 10).isEmpty)
        }
    }

    @Test(arguments: allStoreFactories)
    func delayedTasksWaitForTheirRunAt(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create(priority: .critical, runAt: at(10))
            _ = try await store.create(priority: .low, runAt: at(5))
            #expect(try await store.claim(now: at(4.999)).isEmpty)
            #expect(try await store.claim(limit: 5, now: at(5)).map(\.id) == [2])
            #expect(try await store.claim(limit: 5, now: at(9)).isEmpty)
            #expect(try await store.claim(limit: 5, now: at(10)).map(\.id) == [1])
        }
    }

    @Test(arguments: allStoreFactories)
    func nextReadyTimeIsTheEarliestWaitingRunAt(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            #expect(try await store.nextReadyTime(types: ["email"]) == nil)
            _ = try await store.create(runAt: at(50))
            _ = try await store.create(runAt: at(20))
            _ = try await store.create("other", runAt: at(1))
            #expect(try await store.nextReadyTime(types: ["email"]) == at(20))
            #expect(try await store.nextReadyTime(types: ["email", "other"]) == at(1))
            let claim = try await store.claimOne(now: at(20))
            #expect(try await store.nextReadyTime(types: ["email"]) == at(50))
            _ = try await store.failTask(claim.task.id, token: claim.token, error: "x", retryAt: at(30), now: at(21))
            #expect(try await store.nextReadyTime(types: ["email"]) == at(30))
            _ = try await store.cancelTask(2, now: at(22))
            _ = try await store.cancelTask(1, now: at(22))
            #expect(try await store.nextReadyTime(types: ["email"]) == nil)
        }
    }

    @Test(arguments: allStoreFactories)
    func aLimitBelowOneClaimsNothing(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create()
            #expect(try await store.claim(limit: 0).isEmpty)
            #expect(try await store.task(1).status == .pending)
        }
    }
}
