public import Foundation
public import TaskCore
import Synchronization

/// What a running handler may do besides its work: write log lines, report progress, read the
/// service's clock.
///
/// Log lines and progress carry the attempt's fencing token, so once the task was cancelled or
/// taken over by another worker they are dropped rather than written into someone else's attempt.
public struct TaskContext: Sendable {
    /// The task being run.
    public let taskID: TaskID
    /// The attempt number (1 for the first).
    public let attempt: Int
    let token: Int64
    let service: WorkerService
    /// The task as claimed, for progress events.
    let snapshot: TaskRecord?
    /// The stored result of each of the task's dependencies (`dependsOn`), by id; `nil` for a
    /// dependency without a result. Empty for a task without dependencies.
    public internal(set) var dependencyResults: [TaskID: JSONValue?] = [:]

    init(taskID: TaskID, attempt: Int, token: Int64, service: WorkerService, snapshot: TaskRecord? = nil) {
        self.snapshot = snapshot
        self.taskID = taskID
        self.attempt = attempt
        self.token = token
        self.service = service
    }

    /// The service's current time (the injected clock's).
    public var now: Date { service.clock.now }

    /// Whether the handler should stop: the task was cancelled, timed out, lost its lease or the
    /// service is shutting down. (The Swift task is cancelled too, so `Task.isCancelled` agrees.)
    public var isInterrupted: Bool {
        service.book.withLock { $0.running[taskID]?.interruption != nil }
    }

    /// Appends an `info` line to the task's log, for this attempt.
    /// - Parameter message: the text.
    public func log(_ message: String) async {
        await log(.info, message)
    }

    /// Appends a line to the task's log, for this attempt.
    ///
    /// A line written after the attempt was cancelled or taken over is dropped.
    /// - Parameters:
    ///   - level: the severity.
    ///   - message: the text.
    public func log(_ level: TaskLogEntry.Level, _ message: String) async {
        do {
            try await service.store.appendLog(taskID, token: token, level: level, message: message, now: now)
        } catch {
            if error.code != .leaseLost {
                service.events.emit(.storeError(operation: "appendLog(task \(taskID))", error: error))
            }
        }
    }

    /// Records the task's progress.
    /// - Parameter percent: 0...100.
    /// - Throws: `invalidArgument` outside 0...100; `leaseLost` when the attempt was cancelled or
    ///   taken over (stop working then).
    public func progress(_ percent: Int) async throws(TaskCoreError) {
        guard (0...100).contains(percent) else {
            throw .invalidArgument("progress", "progress: \(percent) is out of range 0-100")
        }
        let now = self.now
        try await service.store.reportProgress(taskID, token: token, progress: percent, now: now)
        if var task = snapshot {
            task.progress = percent
            task.updatedAt = now
            service.publish(task)
        }
    }

    /// Sleeps on the service's clock (so tests with a ``ManualClock`` control it).
    /// - Throws: `CancellationError` when the handler is interrupted.
    public func sleep(for duration: Duration) async throws {
        try await service.clock.sleep(for: duration)
    }
}
