public import Foundation

/// Where tasks, their logs and cron jobs live.
///
/// Every method that changes state is **one atomic, conditional operation**, so that SQL stores can
/// implement each as a single transaction and several processes can share one store:
/// - a claim picks the next ready tasks *and* marks them processing in one step;
/// - a worker's later changes (complete, fail, release, progress, log) carry the claim's fencing
///   token and are refused with ``TaskCoreError/Code/leaseLost`` once the task is no longer
///   processing under that token (its lease ran out and it was claimed again, or it was cancelled);
/// - ``fireDueJobs(now:limit:misfireGrace:)`` advances `nextRun` and enqueues the task in the same
///   step, so two schedulers never fire the same time twice.
///
/// Stores never read a clock: every operation that needs the time takes `now`, which keeps them
/// deterministic under test. Stores write the contract's lifecycle log lines themselves, in the same
/// step as the change they describe.
public protocol TaskStore: Sendable {
    // MARK: Tasks

    /// Creates a pending task, or returns the unfinished task that already has `draft.uniqueKey`.
    /// - Throws: `invalidArgument` for a draft that fails ``NewTask/validate()``.
    func createTask(_ draft: NewTask, now: Date) async throws(TaskCoreError) -> CreatedTask

    /// The task with `id`.
    /// - Throws: `notFound`.
    func task(_ id: TaskID) async throws(TaskCoreError) -> TaskRecord

    /// A page of tasks matching `query`, newest first, with the total count.
    /// - Throws: `invalidArgument` for a limit or offset out of range.
    func listTasks(_ query: TaskQuery) async throws(TaskCoreError) -> TaskPage

    /// Claims up to `limit` ready tasks whose type is in `types`, in dispatch order (priority
    /// descending, then `runAt`, then id): each becomes `processing` with `attempts + 1`,
    /// `startedAt = now`, `progress = nil` and a ``Lease`` for `worker` with a fresh token that runs
    /// out after `leaseDuration`. A task is ready when it is `pending` or `retrying` and its `runAt`
    /// is not after `now`.
    /// - Returns: the claimed tasks, with ``TaskRecord/lease`` set; empty when nothing is ready.
    func claimTasks(
        types: Set<String>, worker: WorkerID, limit: Int, leaseDuration: Duration, now: Date
    ) async throws(TaskCoreError) -> [TaskRecord]

    /// Completes a processing task held under `token`, storing `result`.
    /// - Throws: `leaseLost` when the task is not processing under `token`; `notFound`.
    func completeTask(_ id: TaskID, token: Int64, result: JSONValue?, now: Date) async throws(TaskCoreError)
        -> TaskRecord

    /// Records a failed attempt of a processing task held under `token`: with `retryAt` the task
    /// becomes `retrying` until then, without it the task `failed` for good (and its job, if any,
    /// becomes `failed`). `error` is stored either way.
    /// - Throws: `leaseLost` when the task is not processing under `token`; `notFound`.
    func failTask(_ id: TaskID, token: Int64, error: String, retryAt: Date?, now: Date)
        async throws(TaskCoreError) -> TaskRecord

    /// Cancels a pending, retrying or processing task. A processing task's worker learns of it at
    /// its next lease renewal and is fenced out from then on.
    /// - Throws: `invalidTransition` ("Cannot cancel task 7: status is completed"); `notFound`.
    func cancelTask(_ id: TaskID, now: Date) async throws(TaskCoreError) -> TaskRecord

    /// Gives a processing task back to the queue unrun (`pending`), e.g. on shutdown; the attempt it
    /// started is not counted.
    /// - Throws: `leaseLost` when the task is not processing under `token`; `notFound`.
    func releaseTask(_ id: TaskID, token: Int64, now: Date) async throws(TaskCoreError) -> TaskRecord

    /// Runs a failed or cancelled task again: it becomes `pending`, ready now, with `error`,
    /// `result`, `progress` and `completedAt` cleared. `resetAttempts` sets `attempts` to 0;
    /// otherwise the count is kept and `maxAttempts` grows so that exactly one more attempt is granted.
    /// - Throws: `invalidTransition` from other statuses; `notFound`.
    func retryTask(_ id: TaskID, resetAttempts: Bool, now: Date) async throws(TaskCoreError) -> TaskRecord

    /// Records the progress (0...100) of a processing task held under `token`.
    /// - Throws: `invalidArgument` outside 0...100; `leaseLost`; `notFound`.
    func reportProgress(_ id: TaskID, token: Int64, progress: Int, now: Date) async throws(TaskCoreError)

    /// Extends the lease of a processing task held under `token` to `until`.
    /// - Returns: whether the lease was renewed, or the task was cancelled or claimed by another worker.
    func renewLease(_ id: TaskID, token: Int64, until: Date, now: Date) async throws(TaskCoreError)
        -> LeaseRenewal

    /// Returns to the queue every processing task whose lease ran out before `now` (its worker
    /// died): it becomes `retrying`, ready at once, when attempts remain, and `failed` otherwise.
    /// - Returns: the recovered tasks as they are now.
    func recoverExpiredLeases(now: Date) async throws(TaskCoreError) -> [TaskRecord]

    /// Appends a line to a task's log. With a `token`, the task must be processing under it (a
    /// handler's line); without, any task takes it (a line of the service's own).
    /// - Throws: `leaseLost`; `notFound`.
    func appendLog(_ id: TaskID, token: Int64?, level: TaskLogEntry.Level, message: String, now: Date)
        async throws(TaskCoreError)

    /// The first `limit` lines of a task's log, oldest first.
    /// - Throws: `notFound`; `invalidArgument` for a limit out of 1...1000.
    func logs(_ id: TaskID, limit: Int) async throws(TaskCoreError) -> [TaskLogEntry]

    /// Counts per status and per type, and the summed duration of completed tasks.
    func stats() async throws(TaskCoreError) -> TaskStats

    /// The earliest `runAt` of a pending or retrying task whose type is in `types`, if any: when a
    /// worker with nothing ready should look again.
    func nextReadyTime(types: Set<String>) async throws(TaskCoreError) -> Date?

    // MARK: Jobs

    /// Creates an active job whose `nextRun` is the first fire time after `now`.
    /// - Throws: `invalidCron` or `invalidArgument` (time zone, type, name).
    func createJob(_ draft: NewJob, now: Date) async throws(TaskCoreError) -> ScheduledJob

    /// The job with `id`.
    /// - Throws: `notFound`.
    func job(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob

    /// All jobs, by id ascending.
    func listJobs() async throws(TaskCoreError) -> [ScheduledJob]

    /// Changes some fields of a job; a changed schedule or zone recomputes `nextRun` from `now`
    /// (unless paused).
    /// - Throws: `notFound`; `invalidCron`; `invalidArgument`.
    func updateJob(_ id: JobID, _ update: JobUpdate, now: Date) async throws(TaskCoreError) -> ScheduledJob

    /// Deletes a job. Tasks it enqueued stay.
    /// - Throws: `notFound`.
    func deleteJob(_ id: JobID) async throws(TaskCoreError)

    /// Pauses a job (`nextRun` becomes `nil`). Pausing a paused job changes nothing.
    /// - Throws: `notFound`.
    func pauseJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> ScheduledJob

    /// Resumes a paused job, with `nextRun` computed from `now` (missed runs are skipped).
    /// Resuming a job that is not paused changes nothing.
    /// - Throws: `notFound`.
    func resumeJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> ScheduledJob

    /// Enqueues a job's task now, off schedule, updating `lastRun`, `lastTaskId` and `runCount`
    /// but not `nextRun`.
    /// - Throws: `notFound`.
    func triggerJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> TaskRecord

    /// Fires up to `limit` active or failed jobs whose `nextRun` is not after `now`, each in one
    /// atomic step that enqueues its task and advances `nextRun` to the first fire time after `now`
    /// (missed times are coalesced into this one fire). A job whose previous task is still pending,
    /// retrying or processing is not enqueued (overlap), and neither is a `catchUp: skip` job whose
    /// `nextRun` is more than `misfireGrace` in the past; both still advance `nextRun`.
    /// - Returns: what happened to each due job.
    func fireDueJobs(now: Date, limit: Int, misfireGrace: Duration) async throws(TaskCoreError) -> [JobFiring]

    /// The earliest `nextRun` of an active or failed job, if any.
    func nextJobFireTime() async throws(TaskCoreError) -> Date?
}

/// What became of a lease renewal.
public enum LeaseRenewal: Hashable, Sendable {
    /// The lease now runs until the given time.
    case renewed(until: Date)
    /// The task was cancelled meanwhile: the handler should stop; its outcome will be discarded.
    case cancelled
    /// The worker no longer holds the task (its lease ran out and it was recovered or reclaimed).
    case lost
}

/// What happened to one due job in ``TaskStore/fireDueJobs(now:limit:misfireGrace:)``.
public struct JobFiring: Hashable, Sendable {
    /// Why a due fire enqueued nothing.
    public enum Outcome: Hashable, Sendable {
        /// A task was enqueued.
        case enqueued(TaskRecord)
        /// The previous run's task was still unfinished.
        case skippedOverlap(previous: TaskID)
        /// The fire time was missed while no scheduler ran and the job's policy is `catchUp: skip`.
        case skippedMissed
    }

    /// The job after the fire (`nextRun` advanced).
    public var job: ScheduledJob
    /// The fire time that was due (the job's `nextRun` before the fire).
    public var scheduledFor: Date
    public var outcome: Outcome

    public init(job: ScheduledJob, scheduledFor: Date, outcome: Outcome) {
        self.job = job
        self.scheduledFor = scheduledFor
        self.outcome = outcome
    }
}

/// An optional ability: deleting old finished tasks with their logs.
public protocol TaskStorePruning: TaskStore {
    /// Deletes completed and cancelled tasks whose `completedAt` is before `cutoff`, with their logs.
    /// - Returns: how many tasks were deleted.
    func pruneFinishedTasks(completedBefore cutoff: Date) async throws(TaskCoreError) -> Int
}

/// An optional ability: telling workers that a task was enqueued, so they need not poll
/// (PostgreSQL's LISTEN/NOTIFY, for example).
public protocol TaskStoreNotifying: TaskStore {
    /// A stream that yields whenever a task may have become ready, in this process or another.
    func readyNotifications() -> AsyncStream<Void>
}
