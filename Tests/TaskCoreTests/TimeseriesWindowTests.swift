import Foundation
import TaskCore
import Testing

@Suite struct TimeseriesWindowTests {
    static let noon = Date(timeIntervalSince1970: 1_796_126_400)  // 2026-12-01T12:00:00Z

    @Test func theLastBucketHoldsNowAndBucketsAreAligned() throws {
        let window = try TimeseriesWindow.last(minutes: 1, bucketSeconds: 25, now: Self.noon.addingTimeInterval(7.25))
        // 60 s in 25 s buckets: three buckets; the last starts at the multiple of 25 s at or before now.
        #expect(window.bucketCount == 3)
        let lastStart = window.startMilliseconds + 2 * 25_000
        #expect(lastStart % 25_000 == 0)
        #expect(window.bucketIndex(milliseconds: Int64(Self.noon.timeIntervalSince1970 * 1000) + 7_250) == 2)
        #expect(window.bucketIndex(milliseconds: window.endMilliseconds) == nil)
        #expect(window.bucketIndex(milliseconds: window.startMilliseconds - 1) == nil)
        #expect(window.emptyBuckets().count == 3)
    }

    @Test(arguments: [(0, 60, "minutes"), (1441, 60, "minutes"), (60, 9, "bucketSeconds"), (60, 3601, "bucketSeconds"),
                      (Int.max, 60, "minutes"), (60, Int.min, "bucketSeconds")])
    func outOfRangeParametersAreRejected(minutes: Int, bucketSeconds: Int, field: String) {
        let error = #expect(throws: TaskCoreError.self) {
            try TimeseriesWindow.last(minutes: minutes, bucketSeconds: bucketSeconds, now: Self.noon)
        }
        #expect(error?.code == .invalidArgument && error?.field == field)
    }
}
