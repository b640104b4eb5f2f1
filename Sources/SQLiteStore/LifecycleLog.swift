import Foundation
import TaskCore

/// The lifecycle log lines the store writes itself, word for word those of `InMemoryTaskStore`.
enum LifecycleLog {
    typealias Line = (level: TaskLogEntry.Level, message: String, attempt: Int?)

    static func created(_ task: TaskRecord) -> Line {
        (.info, "Task created", nil)
    }

    static func started(attempt: Int) -> Line {
        (.info, "Attempt \(attempt) started", attempt)
    }

    static func completed(attempt: Int, milliseconds: Int64) -> Line {
        (.info, "Completed in \(milliseconds) ms", attempt)
    }

    static func attemptFailed(attempt: Int, error: String) -> Line {
        (.error, "Attempt \(attempt) failed: \(error)", attempt)
    }

    static func retryScheduled(attempt: Int, at time: Date) -> Line {
        (.info, "Retry scheduled for \(Timestamp.format(time))", attempt)
    }

    static func failedForGood(attempt: Int) -> Line {
        (.error, "Failed after \(attempt) attempts", attempt)
    }

    static func cancelled(attempt: Int?) -> Line {
        (.info, "Cancelled", attempt)
    }

    static func released(attempt: Int) -> Line {
        (.info, "Attempt \(attempt) released unrun", attempt)
    }

    static func manualRetry(resetAttempts: Bool) -> Line {
        (.info, resetAttempts ? "Manual retry with attempts reset" : "Manual retry", nil)
    }

    static func leaseExpired(attempt: Int, worker: String?, retrying: Bool) -> Line {
        (.warn, "Lease of worker \(worker ?? "?") expired; \(retrying ? "retrying" : "failed")", attempt)
    }

    static func jobEnqueued(jobName: String, scheduledFor: Date) -> Line {
        (.info, "Enqueued by job \(jobName) for \(Timestamp.format(scheduledFor))", nil)
    }
}
