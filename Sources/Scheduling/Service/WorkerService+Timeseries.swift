public import TaskCore

extension WorkerService {
    /// Created, completed and failed tasks per bucket over the last `minutes`, from the store (so
    /// it covers every process that shares it).
    /// - Parameters:
    ///   - minutes: how far back, 1...1440.
    ///   - bucketSeconds: the bucket length, 10...3600.
    /// - Returns: the series, oldest bucket first; the last bucket holds the current time.
    /// - Throws: `invalidArgument` naming the parameter out of range; `unavailable` for a store
    ///   without ``TaskStoreTimeseries``; the store's errors.
    public func taskTimeseries(minutes: Int, bucketSeconds: Int) async throws(TaskCoreError) -> TaskTimeseries {
        let window = try TimeseriesWindow.last(minutes: minutes, bucketSeconds: bucketSeconds, now: clock.now)
        guard let store = store as? any TaskStoreTimeseries else {
            throw TaskCoreError(code: .unavailable, message: "This store cannot compute a time series")
        }
        return TaskTimeseries(bucketSeconds: bucketSeconds, buckets: try await store.taskTimeseries(window))
    }
}
