import Foundation

/// The log of one task in an ``InMemoryTaskStore``: lifecycle lines are kept as compact events and
/// rendered only when read; the oldest lines are dropped beyond the configured caps.
struct TaskLogBuffer {
    /// What a line says.
    enum Event {
        case created(job: JobID?)
        case attemptStarted(Int)
        case attemptFailed(Int, error: String)
        case retryScheduled(Date)
        case completed(milliseconds: Int64)
        case cancelled
        case released(Int)
        case manualRetry(resetAttempts: Bool)
        case leaseExpired(retrying: Bool)
        case overlapSkipped(job: JobID, scheduledFor: Date, status: TaskStatus)
        case message(String)

        /// The line's text, from ``LifecycleMessage`` so that every store says the same.
        var text: String {
            switch self {
            case .created(let job): LifecycleMessage.created(byJob: job)
            case .attemptStarted(let attempt): LifecycleMessage.attemptStarted(attempt)
            case .attemptFailed(let attempt, let error): LifecycleMessage.attemptFailed(attempt, error: error)
            case .retryScheduled(let date): LifecycleMessage.retryScheduled(at: date)
            case .completed(let milliseconds): LifecycleMessage.completed(milliseconds: milliseconds)
            case .cancelled: LifecycleMessage.cancelled
            case .released(let attempt): LifecycleMessage.released(attempt: attempt)
            case .manualRetry(let reset): LifecycleMessage.manualRetry(resetAttempts: reset)
            case .leaseExpired(let retrying): LifecycleMessage.leaseExpired(retrying: retrying)
            case .overlapSkipped(let job, let date, let status):
                LifecycleMessage.overlapSkipped(job: job, scheduledFor: date, status: status)
            case .message(let text): text
            }
        }

        /// The bytes the line counts for against the byte cap.
        var byteCount: Int {
            switch self {
            case .message(let text): text.utf8.count
            case .attemptFailed(_, let error): 24 + error.utf8.count
            default: 48
            }
        }
    }

    /// One stored line.
    struct Line {
        var timestamp: Date
        var level: TaskLogEntry.Level
        var event: Event
        var attempt: Int?

        var entry: TaskLogEntry {
            TaskLogEntry(timestamp: timestamp, level: level, message: event.text, attempt: attempt)
        }
    }

    /// Lines from `head` on are live; earlier ones were dropped and await compaction.
    private var lines: [Line] = []
    private var head = 0
    private var bytes = 0
    /// How many lines were dropped so far.
    private(set) var dropped = 0

    /// An empty log with room for `capacity` lines (0 allocates nothing: a deleted task's log).
    init(reservingCapacity capacity: Int = 4) {
        if capacity > 0 { lines.reserveCapacity(capacity) }
    }

    /// The number of lines kept (not counting the note about dropped lines).
    var count: Int { lines.count - head }

    /// Appends a line, dropping the oldest ones beyond the caps.
    mutating func append(_ line: Line, configuration: InMemoryTaskStore.Configuration) {
        lines.append(line)
        bytes += line.event.byteCount
        while count > 1 {
            let lineCap = dropped > 0 || count > configuration.maxLogLinesPerTask
                ? configuration.maxLogLinesPerTask - 1 : configuration.maxLogLinesPerTask
            guard count > lineCap || bytes > configuration.maxLogBytesPerTask else { break }
            bytes -= lines[head].event.byteCount
            head += 1
            dropped += 1
        }
        if head > 64, head * 2 > lines.count {
            lines.removeFirst(head)
            head = 0
        }
    }

    /// The first `limit` lines, oldest first, starting with a note when lines were dropped.
    func entries(limit: Int) -> [TaskLogEntry] {
        var result: [TaskLogEntry] = []
        result.reserveCapacity(Swift.min(limit, count + 1))
        if dropped > 0, head < lines.count {
            result.append(TaskLogEntry(
                timestamp: lines[head].timestamp, level: .warn,
                message: LifecycleMessage.logTruncated(dropped: dropped),
                attempt: nil))
        }
        var index = head
        while result.count < limit, index < lines.count {
            result.append(lines[index].entry)
            index += 1
        }
        return result
    }
}
