public import Foundation

/// The texts of the lifecycle log lines every store writes, so that all stores say the same thing.
///
/// For authors of ``TaskStore`` implementations.
public enum LifecycleMessage {
    /// "created (type email, priority 5)".
    public static func created(_ task: TaskRecord) -> String {
        "created (type \(task.type), priority \(task.priority))"
    }

    /// "attempt 2 of 3 started".
    public static func attemptStarted(_ task: TaskRecord) -> String {
        "attempt \(task.attempts) of \(task.maxAttempts) started"
    }

    /// "attempt 2 failed: <error>".
    public static func attemptFailed(_ task: TaskRecord, error: String) -> String {
        "attempt \(task.attempts) failed: \(error)"
    }

    /// "retry scheduled for 2026-11-29T02:00:05.000Z".
    public static func retryScheduled(at date: Date) -> String {
        "retry scheduled for \(Timestamp.format(date))"
    }

    /// "failed after 3 attempts".
    public static func failed(_ task: TaskRecord) -> String {
        "failed after \(task.attempts) attempt\(task.attempts == 1 ? "" : "s")"
    }

    /// "completed in 12 ms".
    public static func completed(_ task: TaskRecord) -> String {
        let milliseconds = task.startedAt.flatMap { start in
            task.completedAt.map { Int((($0.timeIntervalSince(start)) * 1000).rounded()) }
        } ?? 0
        return "completed in \(milliseconds) ms"
    }

    /// "cancelled".
    public static let cancelled = "cancelled"

    /// "released back to the queue".
    public static let released = "released back to the queue"

    /// "manual retry (attempts reset)" or "manual retry (one more attempt)".
    public static func manualRetry(resetAttempts: Bool) -> String {
        resetAttempts ? "manual retry (attempts reset)" : "manual retry (one more attempt)"
    }

    /// "lease expired (worker w-1 stopped renewing it)".
    public static func leaseExpired(worker: String) -> String {
        "lease expired (worker \(worker) stopped renewing it)"
    }

    /// "42 earlier log lines were dropped (log limit reached)".
    public static func logTruncated(dropped: Int) -> String {
        "\(dropped) earlier log line\(dropped == 1 ? " was" : "s were") dropped (log limit reached)"
    }
}
