import Foundation
public import TaskCore

extension WorkerBackend {
    /// The default for backends without a store of their own (a remote backend, test doubles):
    /// the series is not available.
    /// - Throws: `unavailable`, after checking the ranges (`invalidArgument`).
    public func taskTimeseries(minutes: Int, bucketSeconds: Int) async throws(TaskCoreError) -> TaskTimeseries {
        _ = try TimeseriesWindow.last(minutes: minutes, bucketSeconds: bucketSeconds, now: .distantPast)
        throw TaskCoreError(code: .unavailable, message: "This backend cannot compute a time series")
    }
}
