#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Scheduling
import TaskCore
import WorkerAPI

/// Test-only: the attempt side log of `WORKER_DEMO_ATTEMPT_LOG=/path/file` (off by default).
///
/// Each attempt of every demo handler appends one JSON line when the handler starts and one when it
/// returns or throws, as the handler saw it:
/// `{"pid", "taskId", "attempt", "type", "token", "event": "start"|"finish", "outcome": "ok"|"error"|"cancelled",
/// "result"?, "error"?, "time"}`. The torture harness (`scripts/torture/`) compares these lines with
/// what the store recorded (a completion must come from an attempt that finished, never from one
/// that had lost its lease). A line is written with one `write(2)` on a descriptor opened with
/// `O_APPEND`, so processes may share a file; the line is written before the outcome is handed to
/// the store, so a `finish` line does not mean the store accepted it.
final class AttemptLog: Sendable {
    /// The environment variable that turns the log on.
    static let variable = "WORKER_DEMO_ATTEMPT_LOG"

    private let descriptor: Int32
    private let pid: Int64

    /// Opens (creates, appends to) `path`.
    /// - Throws: ``Options/UsageError`` when the file cannot be opened.
    init(path: String) throws(Options.UsageError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw Options.UsageError(message: "\(Self.variable): cannot open '\(path)' for appending (errno \(errno))")
        }
        self.descriptor = descriptor
        self.pid = Int64(getpid())
    }

    deinit { close(descriptor) }

    enum Event {
        case start
        case finished(Result<JSONValue, any Error>)
    }

    /// Appends the line of one event of attempt `attempt` of `task`.
    func record(_ task: TaskRecord, attempt: Int, _ event: Event) {
        var writer = JSONWriter(capacity: 256)
        writer.raw("{\"pid\":")
        writer.integer(pid)
        writer.raw(",\"taskId\":")
        writer.string(task.id.description)
        writer.raw(",\"attempt\":")
        writer.integer(attempt)
        writer.raw(",\"type\":")
        writer.string(task.type)
        // The claim's fencing token: a claim lost in a server crash repeats the attempt number in
        // the same process, and only the token tells the two runs' lines apart.
        if let token = task.lease?.token {
            writer.raw(",\"token\":")
            writer.integer(token)
        }
        switch event {
        case .start:
            writer.raw(",\"event\":\"start\"")
        case .finished(.success(let result)):
            writer.raw(",\"event\":\"finish\",\"outcome\":\"ok\",\"result\":")
            writer.value(result)
        case .finished(.failure(let error)):
            writer.raw(",\"event\":\"finish\",\"outcome\":")
            writer.string(error is CancellationError ? "cancelled" : "error")
            writer.raw(",\"error\":")
            writer.string(String(describing: error))
        }
        writer.raw(",\"time\":")
        writer.timestamp(Date())
        writer.raw("}\n")
        writer.bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, base + offset, buffer.count - offset)
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }

    /// Wraps `handler` so each attempt writes its start and finish lines.
    func wrap(_ handler: @escaping TaskHandler) -> TaskHandler {
        { task, context in
            self.record(task, attempt: context.attempt, .start)
            do {
                let result = try await handler(task, context)
                self.record(task, attempt: context.attempt, .finished(.success(result)))
                return result
            } catch {
                self.record(task, attempt: context.attempt, .finished(.failure(error)))
                throw error
            }
        }
    }
}
