import Foundation
import TaskCore
import Testing

/// Atomicity under concurrent callers on one store.
@Suite(.timeLimit(.minutes(1)))
struct ConcurrencyConformanceTests {
    @Test(arguments: allStoreFactories)
    func concurrentCreatesWithOneUniqueKeyMakeOneTask(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let results = try await withThrowingTaskGroup(of: CreatedTask.self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        try await store.createTask(NewTask(type: "email", uniqueKey: "welcome-7"), now: t0)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter(\.created).count == 1)
            #expect(Set(results.map(\.task.id)).count == 1)
            #expect(try await store.listTasks(TaskQuery()).total == 1)
        }
    }

    @Test(arguments: allStoreFactories)
    func uniqueKeyIsFreedWhenTheTaskIsFinal(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let first = try await store.createTask(NewTask(type: "email", uniqueKey: "k"), now: t0)
            let again = try await store.createTask(NewTask(type: "email", uniqueKey: "k"), now: at(1))
            #expect(first.created && !again.created && again.task.id == first.task.id)
            let other = try await store.createTask(NewTask(type: "email", uniqueKey: "other"), now: at(1))
            #expect(other.created)
            let claim = try await store.claimOne(now: at(2))
            _ = try await store.completeTask(claim.task.id, token: claim.token, result: nil, now: at(3))
            let fresh = try await store.createTask(NewTask(type: "email", uniqueKey: "k"), now: at(4))
            #expect(fresh.created && fresh.task.id != first.task.id)
            _ = try await store.cancelTask(fresh.task.id, now: at(5))
            #expect(try await store.createTask(NewTask(type: "email", uniqueKey: "k"), now: at(6)).created)
        }
    }

    @Test(arguments: allStoreFactories)
    func concurrentClaimersTakeEachTaskExactlyOnce(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            for index in 0..<500 {
                _ = try await store.create(priority: Priority(rawValue: index % 20 + 1)!)
            }
            let claimed = try await withThrowingTaskGroup(of: [TaskID].self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        var mine: [TaskID] = []
                        while true {
                            let batch = try await store.claim(
                                worker: WorkerID("w\(worker)"), limit: worker % 3 + 1, now: at(1))
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.id)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(claimed.count == 500)
            #expect(Set(claimed).count == 500)
            #expect(try await store.listTasks(TaskQuery(statuses: [.processing])).total == 500)
        }
    }

    @Test(arguments: allStoreFactories)
    func concurrentSchedulersFireEachTimeOnce(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.createJob(NewJob(name: "tick", type: "tick", schedule: "*/5 * * * *"), now: t0)
            let firings = try await withThrowingTaskGroup(of: [JobFiring].self) { group in
                for _ in 0..<2 {
                    group.addTask { try await store.fireDueJobs(now: at(300), limit: 10, misfireGrace: .seconds(60)) }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(firings.count == 1)
            #expect(try await store.listTasks(TaskQuery(type: "tick")).total == 1)
        }
    }
}
