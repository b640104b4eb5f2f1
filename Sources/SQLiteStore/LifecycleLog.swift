import Foundation
import TaskCore

/// The lifecycle log lines the store writes itself: word for word, level and attempt those of
/// `InMemoryTaskStore`, so that both stores pass one conformance suite.
enum LifecycleLog {
    /// What a lifecycle line without free text counts for against the byte cap.
    static let lifecycleLineBytes = 48

    /// One line to append, with the bytes it counts for against the per-task byte cap.
    struct Line {
        var level: TaskLogEntry.Level
        var message: String
        var attempt: Int?
        var bytes: Int

        init(_ level: TaskLogEntry.Level, _ message: String, attempt: Int?, bytes: Int = LifecycleLog.lifecycleLineBytes) {
            self.level = level
            self.message = message
            self.attempt = attempt
            self.bytes = bytes
        }
    }

    static func created(job: JobID?) -> Line {
        Line(.info, job.map { "created by job \($0)" } ?? "created", attempt: nil)
    }

    static func started(attempt: Int) -> Line {
        Line(.info, "attempt \(attempt) started", attempt: attempt)
    }

    static func completed(attempt: Int, milliseconds: Int64) -> Line {
        Line(.info, "completed in \(milliseconds) ms", attempt: attempt)
    }

    static func attemptFailed(attempt: Int, error: String) -> Line {
        Line(.error, "attempt \(attempt) failed: \(error)", attempt: attempt, bytes: 24 + error.utf8.count)
    }

    static func retryScheduled(attempt: Int, at time: Date) -> Line {
        Line(.warn, "retry scheduled for \(Timestamp.format(time))", attempt: attempt)
    }

    static func cancelled(attempt: Int?) -> Line {
        Line(.warn, "cancelled", attempt: attempt)
    }

    static func released(attempt: Int) -> Line {
        Line(.info, "released: attempt \(attempt) given back to the queue unrun", attempt: attempt)
    }

    static func manualRetry(resetAttempts: Bool) -> Line {
        Line(.info, resetAttempts ? "manual retry: attempts reset" : "manual retry: one more attempt granted", attempt: nil)
    }

    static func leaseExpired(attempt: Int, retrying: Bool) -> Line {
        Line(
            .warn,
            retrying
                ? "lease expired: the worker stopped renewing it; task returned to the queue"
                : "lease expired: the worker stopped renewing it; no attempts left, task failed",
            attempt: attempt)
    }

    static func overlapSkipped(job: JobID, scheduledFor: Date, status: TaskStatus) -> Line {
        Line(
            .warn, "job \(job): run scheduled for \(Timestamp.format(scheduledFor)) skipped, this task is still \(status)",
            attempt: nil)
    }

    static func message(_ text: String, level: TaskLogEntry.Level, attempt: Int?) -> Line {
        Line(level, text, attempt: attempt, bytes: text.utf8.count)
    }

    /// The note put before the kept lines once some were dropped.
    static func droppedNote(_ dropped: Int, timestamp: Date) -> TaskLogEntry {
        TaskLogEntry(
            timestamp: timestamp, level: .warn,
            message: "\(dropped) earlier log line\(dropped == 1 ? " was" : "s were") dropped (log cap reached)",
            attempt: nil)
    }
}
