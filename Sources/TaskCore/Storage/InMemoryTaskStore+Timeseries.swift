import Foundation

extension InMemoryTaskStore: TaskStoreTimeseries {
    /// Counts created, completed and failed tasks per bucket of `window`.
    /// - Complexity: O(n) in the stored tasks.
    public func taskTimeseries(_ window: TimeseriesWindow) async throws(TaskCoreError) -> [TaskTimeseriesBucket] {
        try locked { state in state.timeseries(window) }
    }
}

extension InMemoryStoreState {
    /// The buckets of `window`, filled from every task not pruned.
    func timeseries(_ window: TimeseriesWindow) -> [TaskTimeseriesBucket] {
        var buckets = window.emptyBuckets()
        func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
        for index in slots.indices where !slots[index].deleted {
            let record = slots[index].record
            if let bucket = window.bucketIndex(milliseconds: milliseconds(record.createdAt)) {
                buckets[bucket].created += 1
            }
            guard record.status == .completed || record.status == .failed, let completedAt = record.completedAt,
                let bucket = window.bucketIndex(milliseconds: milliseconds(completedAt))
            else { continue }
            if record.status == .failed {
                buckets[bucket].failed += 1
                continue
            }
            buckets[bucket].completed += 1
            if let startedAt = record.startedAt {
                buckets[bucket].durationCount += 1
                buckets[bucket].durationTotalMilliseconds += Double(milliseconds(completedAt) - milliseconds(startedAt))
            }
        }
        return buckets
    }
}
