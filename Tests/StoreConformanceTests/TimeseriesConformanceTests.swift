import Foundation
import TaskCore
import Testing

/// The throughput series (`GET /api/tasks/stats/timeseries`) computed by every store.
@Suite(.timeLimit(.minutes(1)))
struct TimeseriesConformanceTests {
    @Test(arguments: allStoreFactories)
    func bucketsCountCreatedCompletedAndFailedTasks(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let series = try #require(store as? any TaskStoreTimeseries, "every store computes a time series")
            _ = try await store.create("a", now: at(0))
            _ = try await store.create("b", now: at(61))
            _ = try await store.create("c", now: at(-10))  // created before the window
            let cancelled = try await store.create("d", now: at(10))
            _ = try await store.create("e", now: at(300))  // the window's end is exclusive
            let retried = try await store.create("f", now: at(5))
            let one = try await store.claimOne(["a"], now: at(70))
            _ = try await store.completeTask(one.task.id, token: one.token, result: nil, now: at(130))
            let two = try await store.claimOne(["b"], now: at(70))
            _ = try await store.failTask(two.task.id, token: two.token, error: "x", retryAt: nil, now: at(200))
            let three = try await store.claimOne(["c"], now: at(71))
            _ = try await store.completeTask(three.task.id, token: three.token, result: nil, now: at(135.5))
            _ = try await store.cancelTask(cancelled.id, now: at(20))
            let six = try await store.claimOne(["f"], now: at(6))
            _ = try await store.failTask(retried.id, token: six.token, error: "x", retryAt: at(500), now: at(7))

            let window = try TimeseriesWindow.last(minutes: 5, bucketSeconds: 60, now: at(299))
            #expect(window.start == t0 && window.bucketCount == 5)
            let buckets = try await series.taskTimeseries(window)
            #expect(buckets.map(\.start) == (0..<5).map { at(Double($0) * 60) })
            #expect(buckets.map(\.created) == [3, 1, 0, 0, 0])
            #expect(buckets.map(\.completed) == [0, 0, 2, 0, 0])
            #expect(buckets.map(\.failed) == [0, 0, 0, 1, 0])
            #expect(buckets[2].durationCount == 2)
            #expect(buckets[2].averageDurationMilliseconds == 62_250)
            #expect(buckets[0].averageDurationMilliseconds == nil)
        }
    }

    @Test(arguments: allStoreFactories)
    func anEmptyStoreAnswersEveryBucketEmpty(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let series = try #require(store as? any TaskStoreTimeseries)
            let window = try TimeseriesWindow.last(minutes: 1440, bucketSeconds: 10, now: at(0.5))
            let buckets = try await series.taskTimeseries(window)
            #expect(buckets.count == 8640)
            #expect(buckets.allSatisfy { $0.created == 0 && $0.completed == 0 && $0.failed == 0 })
            #expect(buckets.last?.start == t0)
        }
    }
}
