import Foundation
import TaskCore
import Testing

/// A worker that no longer holds a task is refused with `leaseLost`.
@Suite(.timeLimit(.minutes(1)))
struct FencingConformanceTests {
    /// Tries every fenced operation with `token` and expects each to be refused.
    static func expectAllRefused(
        _ store: any TaskStore, _ id: TaskID, token: Int64, now: Date,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        await expectError(.leaseLost, sourceLocation: sourceLocation) {
            _ = try await store.completeTask(id, token: token, result: nil, now: now)
        }
        await expectError(.leaseLost, sourceLocation: sourceLocation) {
            _ = try await store.failTask(id, token: token, error: "x", retryAt: nil, now: now)
        }
        await expectError(.leaseLost, sourceLocation: sourceLocation) {
            _ = try await store.releaseTask(id, token: token, now: now)
        }
        await expectError(.leaseLost, sourceLocation: sourceLocation) {
            try await store.reportProgress(id, token: token, progress: 50, now: now)
        }
        await expectError(.leaseLost, sourceLocation: sourceLocation) {
            try await store.appendLog(id, token: token, level: .info, message: "late", now: now)
        }
    }

    @Test(arguments: allStoreFactories)
    func staleTokenIsRefusedAfterExpiryAndReclaim(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create()
            let first = try await store.claimOne(worker: "w1")
            _ = try await store.recoverExpiredLeases(now: at(31))
            let second = try await store.claimOne(worker: "w2", now: at(31))
            #expect(second.token > first.token)
            await Self.expectAllRefused(store, 1, token: first.token, now: at(32))
            try await store.reportProgress(1, token: second.token, progress: 40, now: at(33))
            try await store.appendLog(1, token: second.token, level: .info, message: "mine", now: at(33))
            let done = try await store.completeTask(1, token: second.token, result: 7, now: at(34))
            #expect(done.status == .completed && done.progress == 40 && done.result == 7)
        }
    }

    @Test(arguments: allStoreFactories)
    func wrongTokenIsRefused(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create()
            let claim = try await store.claimOne()
            await Self.expectAllRefused(store, 1, token: claim.token + 1, now: at(1))
            #expect(try await store.task(1).status == .processing)
        }
    }

    @Test(arguments: allStoreFactories)
    func cancelledTaskRefusesItsWorker(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create()
            let claim = try await store.claimOne()
            _ = try await store.cancelTask(1, now: at(1))
            await Self.expectAllRefused(store, 1, token: claim.token, now: at(2))
            let task = try await store.task(1)
            #expect(task.status == .cancelled && task.result == nil && task.progress == nil)
        }
    }

    @Test(arguments: allStoreFactories)
    func pendingTaskRefusesAnyToken(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create()
            await Self.expectAllRefused(store, 1, token: 1, now: at(1))
            await Self.expectAllRefused(store, 1, token: 0, now: at(1))
        }
    }

    @Test(arguments: allStoreFactories)
    func tokensGrowWithEveryClaimOfATask(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create(maxAttempts: 10)
            var last: Int64 = .min
            for round in 0..<4 {
                let claim = try await store.claimOne(now: at(Double(round)))
                #expect(claim.token > last)
                last = claim.token
                _ = try await store.releaseTask(1, token: claim.token, now: at(Double(round)))
            }
        }
    }

    @Test(arguments: allStoreFactories)
    func serviceLogLinesNeedNoToken(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create()
            let claim = try await store.claimOne()
            _ = try await store.completeTask(1, token: claim.token, result: nil, now: at(1))
            try await store.appendLog(1, token: nil, level: .debug, message: "note", now: at(2))
            let last = try await store.logs(1, limit: 1000).last
            #expect(last?.message == "note" && last?.level == .debug)
        }
    }

    @Test(arguments: allStoreFactories)
    func progressOutOfRangeIsRejected(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.create()
            let claim = try await store.claimOne()
            for value in [-1, 101] {
                let error = await expectError(.invalidArgument) {
                    try await store.reportProgress(1, token: claim.token, progress: value, now: at(1))
                }
                #expect(error?.field == "progress")
            }
            try await store.reportProgress(1, token: claim.token, progress: 0, now: at(1))
            try await store.reportProgress(1, token: claim.token, progress: 100, now: at(1))
            #expect(try await store.task(1).progress == 100)
        }
    }
}
