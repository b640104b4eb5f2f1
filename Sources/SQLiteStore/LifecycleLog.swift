import Foundation
import TaskCore

/// The lifecycle log lines the store writes itself: the texts of TaskCore's `LifecycleMessage`, with
/// the levels, attempts and byte counts of `InMemoryTaskStore`, so that the stores behave alike.
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
        Line(.info, LifecycleMessage.created(byJob: job), attempt: nil)
    }

    static func started(attempt: Int) -> Line {
        Line(.info, LifecycleMessage.attemptStarted(attempt), attempt: attempt)
    }

    static func completed(attempt: Int, milliseconds: Int64) -> Line {
        Line(.info, LifecycleMessage.completed(milliseconds: milliseconds), attempt: attempt)
    }

    static func attemptFailed(attempt: Int, error: String) -> Line {
        Line(.error, LifecycleMessage.attemptFailed(attempt, error: error), attempt: attempt, bytes: 24 + error.utf8.count)
    }

    static func retryScheduled(attempt: Int, at time: Date) -> Line {
        Line(.warn, LifecycleMessage.retryScheduled(at: time), attempt: attempt)
    }

    static func cancelled(attempt: Int?) -> Line {
        Line(.warn, LifecycleMessage.cancelled, attempt: attempt)
    }

    static func released(attempt: Int) -> Line {
        Line(.info, LifecycleMessage.released(attempt: attempt), attempt: attempt)
    }

    static func manualRetry(resetAttempts: Bool) -> Line {
        Line(.info, LifecycleMessage.manualRetry(resetAttempts: resetAttempts), attempt: nil)
    }

    static func leaseExpired(attempt: Int, retrying: Bool) -> Line {
        Line(
            .warn,
            LifecycleMessage.leaseExpired(retrying: retrying),
            attempt: attempt)
    }

    static func overlapSkipped(job: JobID, scheduledFor: Date, status: TaskStatus) -> Line {
        Line(
            .warn, LifecycleMessage.overlapSkipped(job: job, scheduledFor: scheduledFor, status: status),
            attempt: nil)
    }

    static func message(_ text: String, level: TaskLogEntry.Level, attempt: Int?) -> Line {
        Line(level, text, attempt: attempt, bytes: text.utf8.count)
    }

    /// The note put before the kept lines once some were dropped.
    static func droppedNote(_ dropped: Int, timestamp: Date) -> TaskLogEntry {
        TaskLogEntry(
            timestamp: timestamp, level: .warn,
            message: LifecycleMessage.logTruncated(dropped: dropped),
            attempt: nil)
    }
}
