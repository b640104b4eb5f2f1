public import TaskCore
public import Foundation

/// Something a ``WorkerService`` wants an operator to know: the library never prints, it reports
/// these to the ``WorkerEventSink`` given at creation.
public enum WorkerEvent: Sendable, CustomStringConvertible {
    /// Tasks of a type that no handler in this process serves have waited longer than
    /// ``WorkerConfiguration/unhandledTypeWarningAge`` (`waiting` is how many are pending or retrying).
    case unhandledTaskType(type: String, waiting: Int)
    /// A cron fire was skipped because the job's previous task is still unfinished.
    case jobOverlapSkipped(job: ScheduledJob, scheduledFor: Date, previous: TaskID)
    /// A missed cron fire was dropped (the job's policy is `catchUp: skip`).
    case jobMissedSkipped(job: ScheduledJob, scheduledFor: Date)
    /// A cron job enqueued its task.
    case jobFired(job: ScheduledJob, scheduledFor: Date, task: TaskID)
    /// Tasks whose workers' leases ran out went back to the queue (or failed).
    case leasesRecovered([TaskID])
    /// A running handler was interrupted: cancelled, timed out, lost its lease, or shut down.
    case handlerInterrupted(task: TaskID, reason: String)
    /// A store operation of the pool, scheduler or maintenance failed; the loop goes on.
    case storeError(operation: String, error: TaskCoreError)
    /// Retention deleted old finished tasks.
    case pruned(count: Int)
    /// An attempt ended: `status` is the task's status after it (`cancelled` when it was cancelled
    /// while running, `pending` when it was released at shutdown).
    case attemptFinished(task: TaskID, status: TaskStatus)

    /// How serious the event is.
    public var level: TaskLogEntry.Level {
        switch self {
        case .unhandledTaskType, .storeError: .warn
        case .jobOverlapSkipped, .jobMissedSkipped, .leasesRecovered, .handlerInterrupted, .pruned: .info
        case .jobFired, .attemptFinished: .debug
        }
    }

    public var description: String {
        switch self {
        case .unhandledTaskType(let type, let waiting):
            "\(waiting) task(s) of type '\(type)' are waiting and no handler in this process serves that type"
        case .jobOverlapSkipped(let job, let at, let previous):
            "job \(job.id) '\(job.name)': fire at \(Timestamp.format(at)) skipped, task \(previous) of the previous run is unfinished"
        case .jobMissedSkipped(let job, let at):
            "job \(job.id) '\(job.name)': missed fire at \(Timestamp.format(at)) dropped (catchUp: skip)"
        case .jobFired(let job, let at, let task):
            "job \(job.id) '\(job.name)': fired for \(Timestamp.format(at)), task \(task)"
        case .leasesRecovered(let ids):
            "recovered \(ids.count) task(s) with expired leases: \(ids.map(\.description).joined(separator: ", "))"
        case .handlerInterrupted(let task, let reason):
            "task \(task): handler interrupted (\(reason))"
        case .storeError(let operation, let error):
            "\(operation) failed: \(error.message)"
        case .pruned(let count):
            "retention deleted \(count) finished task(s)"
        case .attemptFinished(let task, let status):
            "task \(task): attempt finished, now \(status)"
        }
    }
}

/// Where a ``WorkerService`` reports ``WorkerEvent``s (a logger, metrics, a test's collector).
public struct WorkerEventSink: Sendable {
    let receive: (@Sendable (WorkerEvent) -> Void)?

    /// Creates a sink that calls `receive` for every event, from any thread.
    public init(_ receive: @escaping @Sendable (WorkerEvent) -> Void) { self.receive = receive }

    private init() { receive = nil }

    /// A sink that drops every event.
    public static let discarding = WorkerEventSink()

    /// Whether events are wanted (so that building them can be skipped).
    var isActive: Bool { receive != nil }

    func emit(_ event: @autoclosure () -> WorkerEvent) {
        receive?(event())
    }
}
