import Foundation
import TaskCore
import Testing

/// Listing (filters, pages, totals), statistics and pruning.
@Suite(.timeLimit(.minutes(1)))
struct ListingConformanceTests {
    /// Makes 1 email pending, 2 report processing, 3 email completed, 4 email failed, 5 report cancelled,
    /// 6 email retrying, 7 report pending.
    static func seed(_ store: any TaskStore) async throws {
        for type in ["email", "report", "email", "email", "report", "email", "report"] {
            _ = try await store.create(type, runAt: type == "email" ? at(1) : nil)
        }
        let two = try await store.claimOne(["report"], now: at(1))
        #expect(two.task.id == 2)
        _ = try await store.cancelTask(5, now: at(1))
        let one = try await store.claim(["email"], limit: 4, now: at(1))
        #expect(one.map(\.id) == [1, 3, 4, 6])
        _ = try await store.releaseTask(1, token: one[0].lease!.token, now: at(2))
        _ = try await store.completeTask(3, token: one[1].lease!.token, result: nil, now: at(3.5))
        _ = try await store.failTask(4, token: one[2].lease!.token, error: "x", retryAt: nil, now: at(2))
        _ = try await store.failTask(6, token: one[3].lease!.token, error: "x", retryAt: at(60), now: at(2))
    }

    @Test(arguments: allStoreFactories)
    func listIsNewestFirstWithTotals(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            try await Self.seed(store)
            let all = try await store.listTasks(TaskQuery())
            #expect(all.total == 7 && all.tasks.map(\.id) == [7, 6, 5, 4, 3, 2, 1])
            let emails = try await store.listTasks(TaskQuery(type: "email"))
            #expect(emails.total == 4 && emails.tasks.map(\.id) == [6, 4, 3, 1])
            let open = try await store.listTasks(TaskQuery(statuses: [.pending, .retrying]))
            #expect(open.total == 3 && open.tasks.map(\.id) == [7, 6, 1])
            let both = try await store.listTasks(TaskQuery(statuses: [.pending, .processing], type: "report"))
            #expect(both.total == 2 && both.tasks.map(\.id) == [7, 2])
            let none = try await store.listTasks(TaskQuery(type: "unknown"))
            #expect(none.total == 0 && none.tasks.isEmpty)
        }
    }

    @Test(arguments: allStoreFactories)
    func pagesSliceTheFilteredList(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            for _ in 0..<12 { _ = try await store.create() }
            let first = try await store.listTasks(TaskQuery(limit: 5))
            let second = try await store.listTasks(TaskQuery(limit: 5, offset: 5))
            let third = try await store.listTasks(TaskQuery(limit: 5, offset: 10))
            let beyond = try await store.listTasks(TaskQuery(limit: 5, offset: 50))
            #expect(first.tasks.map(\.id) == [12, 11, 10, 9, 8] && first.total == 12)
            #expect(second.tasks.map(\.id) == [7, 6, 5, 4, 3] && second.total == 12)
            #expect(third.tasks.map(\.id) == [2, 1] && third.total == 12)
            #expect(beyond.tasks.isEmpty && beyond.total == 12)
        }
    }

    @Test(arguments: allStoreFactories)
    func badPagesAreRejected(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            for (query, field) in [(TaskQuery(limit: 0), "limit"), (TaskQuery(limit: 1001), "limit"),
                                   (TaskQuery(offset: -1), "offset")] {
                let error = await expectError(.invalidArgument) { _ = try await store.listTasks(query) }
                #expect(error?.field == field)
            }
        }
    }

    @Test(arguments: allStoreFactories)
    func statsCountByStatusAndType(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            #expect(try await store.stats().total == 0)
            try await Self.seed(store)
            let stats = try await store.stats()
            #expect(stats.total == 7)
            #expect(stats.all[.pending] == 2 && stats.all[.processing] == 1 && stats.all[.completed] == 1)
            #expect(stats.all[.failed] == 1 && stats.all[.cancelled] == 1 && stats.all[.retrying] == 1)
            let email = try #require(stats.byType["email"])
            let report = try #require(stats.byType["report"])
            #expect(email.total == 4 && email[.pending] == 1 && email[.completed] == 1 && email[.failed] == 1)
            #expect(email[.retrying] == 1 && email[.processing] == 0)
            #expect(report.total == 3 && report[.pending] == 1 && report[.processing] == 1 && report[.cancelled] == 1)
            #expect(stats.completedDurationCount == 1 && stats.completedDurationTotalMilliseconds == 2500)
            #expect(stats.meanCompletedDurationMilliseconds == 2500)
        }
    }

    @Test(arguments: allStoreFactories)
    func pruningDeletesOldCompletedAndCancelledTasks(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            guard let pruning = store as? any TaskStorePruning else { return }
            try await Self.seed(store)
            #expect(try await pruning.pruneFinishedTasks(completedBefore: at(1)) == 0)
            #expect(try await pruning.pruneFinishedTasks(completedBefore: at(10)) == 2)
            await expectError(.notFound) { _ = try await store.task(3) }
            await expectError(.notFound) { _ = try await store.logs(5, limit: 10) }
            #expect(try await store.listTasks(TaskQuery()).tasks.map(\.id) == [7, 6, 4, 2, 1])
            let stats = try await store.stats()
            #expect(stats.total == 5 && stats.all[.completed] == 0 && stats.completedDurationCount == 0)
            #expect(try await store.create().id == 8)
        }
    }

    @Test(arguments: allStoreFactories)
    func pruningTheOldestTasksKeepsIdsAndQueuesIntact(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            guard let pruning = store as? any TaskStorePruning else { return }
            for _ in 0..<5 { _ = try await store.create() }
            for _ in 0..<2 {
                let claim = try await store.claimOne(now: at(1))
                _ = try await store.completeTask(claim.task.id, token: claim.token, result: nil, now: at(2))
            }
            _ = try await store.cancelTask(4, now: at(2))
            #expect(try await pruning.pruneFinishedTasks(completedBefore: at(3)) == 3)
            await expectError(.notFound) { _ = try await store.task(1) }
            await expectError(.notFound) { _ = try await store.task(2) }
            #expect(try await store.task(3).status == .pending)
            #expect(try await store.claim(limit: 10, now: at(4)).map(\.id) == [3, 5])
            #expect(try await store.create(now: at(5)).id == 6)
            #expect(try await store.listTasks(TaskQuery()).tasks.map(\.id) == [6, 5, 3])
            let claim = try await store.claimOne(now: at(6))
            #expect(claim.task.id == 6)
            #expect(try await store.recoverExpiredLeases(now: at(100)).map(\.id) == [3, 5, 6])
        }
    }
}
