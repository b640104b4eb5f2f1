public import TaskCore

/// One change of the service's state, as subscribers of an ``EventBus`` receive it: the changed
/// thing as it is after the change.
///
/// Tasks change on create and on every change of status, progress, attempts or result; jobs on
/// create, update, fire, pause, resume and delete; queues on a setting change; batches when the
/// counts of their tasks change.
public enum ChangeEvent: Sendable {
    /// A task was created or changed; the record as it is now.
    // Boxed: a record is large, and an event is copied into the replay ring and every matching
    // subscriber's buffer; a box makes each copy one retain instead of a copy of every field.
    indirect case task(TaskRecord)
    /// A cron job was created, updated, fired, paused or resumed; the job as it is now.
    case job(ScheduledJob)
    /// A cron job was deleted.
    case jobDeleted(JobID)
    /// A queue's settings changed (limits, pause, resume); the queue as it is now.
    case queue(QueueInfo)
    /// The counts of a batch's tasks changed (or the batch was created); the batch as it is now.
    case batch(BatchRecord)

    /// The kind of thing that changed (what `?events=` filters on).
    public var kind: Kind {
        switch self {
        case .task: .task
        case .job, .jobDeleted: .job
        case .queue: .queue
        case .batch: .batch
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
        case .queue, .batch: nil
        }
    }

    /// The task type (a task's, or the type a job enqueues); `nil` for a deleted job, a queue or
    /// a batch.
    public var type: String? {
        switch self {
        case .task(let task): task.type
        case .job(let job): job.type
        case .jobDeleted, .queue, .batch: nil
        }
    }

    /// The queue this event carries: a task's, the queue a job enqueues into, a queue's own name.
    public var queue: String? {
        switch self {
        case .task(let task): task.queue
        case .job(let job): job.queue
        case .queue(let queue): queue.name
        case .jobDeleted, .batch: nil
        }
    }

    /// The batch this event carries: a batch task's (the callback's too), a batch's own id.
    public var batchID: String? {
        switch self {
        case .task(let task): task.batchId?.description
        case .batch(let batch): batch.id.description
        case .job, .jobDeleted, .queue: nil
        }
    }
}
