public import Foundation

/// The texts of the lifecycle log lines every store writes, so that all stores say the same thing.
///
/// For authors of ``TaskStore`` implementations. Levels: created, started, completed, released and
/// manual retry are `info`; retry scheduled, cancelled, lease expired and overlap are `warn`; an
/// attempt failed is `error`.
public enum LifecycleMessage {
    /// "created", or "created by job 3".
    public static func created(byJob job: JobID?) -> String {
        job.map { "created by job \($0)" } ?? "created"
    }

    /// "attempt 2 started".
    public static func attemptStarted(_ attempt: Int) -> String {
        "attempt \(attempt) started"
    }

    /// "attempt 2 failed: <error>".
    public static func attemptFailed(_ attempt: Int, error: String) -> String {
        "attempt \(attempt) failed: \(error)"
    }

    /// "retry scheduled for 2026-11-29T02:00:05.000Z".
    public static func retryScheduled(at date: Date) -> String {
        "retry scheduled for \(Timestamp.format(date))"
    }

    /// "completed in 12 ms".
    public static func completed(milliseconds: Int64) -> String {
        "completed in \(milliseconds) ms"
    }

    /// "cancelled".
    public static let cancelled = "cancelled"

    /// "released: attempt 2 given back to the queue unrun".
    public static func released(attempt: Int) -> String {
        "released: attempt \(attempt) given back to the queue unrun"
    }

    /// "manual retry: attempts reset" or "manual retry: one more attempt granted".
    public static func manualRetry(resetAttempts: Bool) -> String {
        resetAttempts ? "manual retry: attempts reset" : "manual retry: one more attempt granted"
    }

    /// The error stored on a task whose worker's lease ran out.
    public static let leaseExpiredError = "lease expired"

    /// The line written when a lease ran out, saying whether the task goes back to the queue.
    public static func leaseExpired(retrying: Bool) -> String {
        retrying
            ? "lease expired: the worker stopped renewing it; task returned to the queue"
            : "lease expired: the worker stopped renewing it; no attempts left, task failed"
    }

    /// Written on a job's previous task when a fire is skipped because that task is unfinished.
    public static func overlapSkipped(job: JobID, scheduledFor: Date, status: TaskStatus) -> String {
        "job \(job): run scheduled for \(Timestamp.format(scheduledFor)) skipped, this task is still \(status)"
    }

    /// "42 earlier log lines were dropped (log cap reached)".
    public static func logTruncated(dropped: Int) -> String {
        "\(dropped) earlier log line\(dropped == 1 ? " was" : "s were") dropped (log cap reached)"
    }
}
