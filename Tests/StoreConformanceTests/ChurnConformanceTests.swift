import Foundation
import TaskCore
import Testing

/// Invariants that must hold after many concurrent operations of every kind.
@Suite(.timeLimit(.minutes(1)))
struct ChurnConformanceTests {
    @Test(arguments: allStoreFactories)
    func countsAndListingsAgreeAfterConcurrentChurn(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            for index in 0..<300 {
                _ = try await store.create(index % 3 == 0 ? "a" : "b", priority: Priority(rawValue: index % 20 + 1)!,
                                           maxAttempts: 2)
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        var round = 0
                        while true {
                            let batch = try await store.claimTasks(
                                types: ["a", "b"], worker: WorkerID("w\(worker)"), limit: 3, leaseDuration: lease, now: at(1))
                            if batch.isEmpty { return }
                            for task in batch {
                                round += 1
                                let token = task.lease!.token
                                do {
                                    switch (round + worker) % 4 {
                                    case 0: _ = try await store.completeTask(task.id, token: token, result: 1, now: at(2))
                                    case 1: _ = try await store.failTask(task.id, token: token, error: "x", retryAt: nil, now: at(2))
                                    case 2: _ = try await store.failTask(task.id, token: token, error: "x", retryAt: at(1), now: at(1))
                                    default: try await store.reportProgress(task.id, token: token, progress: 50, now: at(1))
                                    }
                                } catch let error as TaskCoreError where error.code == .leaseLost {
                                    // The canceller got there first: that is what fencing is for.
                                }
                            }
                        }
                    }
                }
                group.addTask {
                    for id in stride(from: 1, through: 300, by: 7) {
                        do {
                            _ = try await store.cancelTask(TaskID(Int64(id)), now: at(1))
                        } catch let error as TaskCoreError where error.code == .invalidTransition {
                            // Already final.
                        }
                    }
                }
                try await group.waitForAll()
            }
            // Tasks left processing (progress reports) have leases that run out; recover them.
            _ = try await store.recoverExpiredLeases(now: at(100))
            let stats = try await store.stats()
            #expect(stats.total == 300)
            for status in TaskStatus.allCases {
                let listed = try await store.listTasks(TaskQuery(statuses: [status], limit: 1000))
                #expect(listed.total == stats.all[status], "\(status)")
                #expect(listed.tasks.allSatisfy { ($0.lease != nil) == ($0.status == .processing) })
                #expect(listed.tasks.allSatisfy { ($0.completedAt != nil) == $0.status.isFinal })
            }
            #expect(stats.all[.processing] == 0)
            let byType = stats.byType.values.reduce(0) { $0 + $1.total }
            #expect(byType == 300 && stats.byType["a"]?.total == 100)
            #expect(stats.completedDurationCount == stats.all[.completed])
        }
    }
}
