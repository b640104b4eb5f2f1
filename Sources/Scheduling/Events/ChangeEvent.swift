public import TaskCore

/// One change of the service's state, as subscribers of an ``EventBus`` receive it: the changed
/// thing as it is after the change.
///
/// Tasks change on create and on every change of status, progress, attempts or result; jobs on
/// create, update, fire, pause, resume and delete. (Queue and batch changes slot in as further
/// cases when those models exist.)
public enum ChangeEvent: Sendable {
    /// A task was created or changed; the record as it is now.
    case task(TaskRecord)
    /// A cron job was created, updated, fired, paused or resumed; the job as it is now.
    case job(ScheduledJob)
    /// A cron job was deleted.
    case jobDeleted(JobID)

    /// The kind of thing that changed (what `?events=` filters on).
    public var kind: Kind {
        switch self {
        case .task: .task
        case .job, .jobDeleted: .job
        }
    }

    /// The kinds of events, by their SSE event names.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case task, job, queue, batch
    }

    /// The task this event carries, if any (its `taskId` attribute).
    public var taskID: TaskID? {
        if case .task(let task) = self { task.id } else { nil }
    }

    /// The job this event carries or belongs to: a job event's own id, a task's `jobId`.
    public var jobID: JobID? {
        switch self {
        case .task(let task): task.jobId
        case .job(let job): job.id
        case .jobDeleted(let id): id
        }
    }

    /// The task type (a task's, or the type a job enqueues); `nil` for a deleted job.
    public var type: String? {
        switch self {
        case .task(let task): task.type
        case .job(let job): job.type
        case .jobDeleted: nil
        }
    }

    /// The queue this event carries, if any (tasks and jobs once queues exist).
    public var queue: String? { nil }

    /// The batch this event carries, if any (tasks of a batch and batches once batches exist).
    public var batchID: String? { nil }
}
