public import Foundation

// The TaskStore requirements: each takes the lock once and runs one InMemoryStoreState operation.
// Every time is truncated to the millisecond first, so records round-trip through JSON and SQL.
extension InMemoryTaskStore {
    // MARK: Tasks

    public func createTask(_ draft: NewTask, now: Date) async throws(TaskCoreError) -> CreatedTask {
        let now = now.truncatedToMilliseconds
        return try locked { (state) throws(TaskCoreError) in try state.createTask(draft, now: now) }
    }

    public func task(_ id: TaskID) async throws(TaskCoreError) -> TaskRecord {
        try locked { (state) throws(TaskCoreError) in state.slots[try state.index(of: id)].record }
    }

    public func listTasks(_ query: TaskQuery) async throws(TaskCoreError) -> TaskPage {
        try locked { (state) throws(TaskCoreError) in try state.listTasks(query) }
    }

    /// - Complexity: O(*k* log *n*) for *k* claimed tasks among *n* queued ones of the given types,
    ///   plus O(log *n*) for each delayed task that became due.
    public func claimTasks(
        types: Set<String>, worker: WorkerID, limit: Int, leaseDuration: Duration, now: Date
    ) async throws(TaskCoreError) -> [TaskRecord] {
        let now = now.truncatedToMilliseconds
        return try locked { (state) throws(TaskCoreError) in
            try state.claimTasks(types: types, worker: worker, limit: limit, leaseDuration: leaseDuration, now: now)
        }
    }

    public func completeTask(_ id: TaskID, token: Int64, result: JSONValue?, now: Date) async throws(TaskCoreError)
        -> TaskRecord
    {
        let now = now.truncatedToMilliseconds
        return try locked { (state) throws(TaskCoreError) in
            try state.completeTask(id, token: token, result: result, now: now)
        }
    }

    public func failTask(_ id: TaskID, token: Int64, error: String, retryAt: Date?, now: Date)
        async throws(TaskCoreError) -> TaskRecord
    {
        let now = now.truncatedToMilliseconds
        let retryAt = retryAt?.truncatedToMilliseconds
        return try locked { (state) throws(TaskCoreError) in
            try state.failTask(id, token: token, error: error, retryAt: retryAt, now: now)
        }
    }

    public func cancelTask(_ id: TaskID, now: Date) async throws(TaskCoreError) -> TaskRecord {
        let now = now.truncatedToMilliseconds
        return try locked { (state) throws(TaskCoreError) in try state.cancelTask(id, now: now) }
    }

    public func releaseTask(_ id: TaskID, token: Int64, now: Date) async throws(TaskCoreError) -> TaskRecord {
        let now = now.truncatedToMilliseconds
        return try locked { (state) throws(TaskCoreError) in try state.releaseTask(id, token: token, now: now) }
    }

    public func retryTask(_ id: TaskID, resetAttempts: Bool, now: Date) async throws(TaskCoreError) -> TaskRecord {
        let now = now.truncatedToMilliseconds
        return try locked { (state) throws(TaskCoreError) in
            try state.retryTask(id, resetAttempts: resetAttempts, now: now)
        }
    }

    public func reportProgress(_ id: TaskID, token: Int64, progress: Int, now: Date) async throws(TaskCoreError) {
        let now = now.truncatedToMilliseconds
        try locked { (state) throws(TaskCoreError) in
            try state.reportProgress(id, token: token, progress: progress, now: now)
        }
    }

    public func renewLease(_ id: TaskID, token: Int64, until: Date, now: Date) async throws(TaskCoreError)
        -> LeaseRenewal
    {
        let until = until.truncatedToMilliseconds
        return try locked { (state) throws(TaskCoreError) in try state.renewLease(id, token: token, until: until) }
    }

    public func recoverExpiredLeases(now: Date) async throws(TaskCoreError) -> [TaskRecord] {
        let now = now.truncatedToMilliseconds
        return try locked { (state) throws(TaskCoreError) in try state.recoverExpiredLeases(now: now) }
    }

    public func appendLog(_ id: TaskID, token: Int64?, level: TaskLogEntry.Level, message: String, now: Date)
        async throws(TaskCoreError)
    {
        let now = now.truncatedToMilliseconds
        try locked { (state) throws(TaskCoreError) in
            try state.appendLog(id, token: token, level: level, message: message, now: now)
        }
    }

    public func logs(_ id: TaskID, limit: Int) async throws(TaskCoreError) -> [TaskLogEntry] {
        try locked { (state) throws(TaskCoreError) in try state.logs(id, limit: limit) }
    }

    public func stats() async throws(TaskCoreError) -> TaskStats {
        try locked { state in state.stats() }
    }

    public func nextReadyTime(types: Set<String>) async throws(TaskCoreError) -> Date? {
        try locked { state in state.nextReadyTime(types: types) }
    }

    // MARK: Jobs

    public func createJob(_ draft: NewJob, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        let now = now.truncatedToMilliseconds
        return try locked { (state) throws(TaskCoreError) in try state.createJob(draft, now: now) }
    }

    public func job(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob {
        try locked { (state) throws(TaskCoreError) in try state.jobEntry(id).job }
    }

    public func listJobs() async throws(TaskCoreError) -> [ScheduledJob] {
        try locked { state in state.listJobs() }
    }

    public func updateJob(_ id: JobID, _ update: JobUpdate, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        let now = now.truncatedToMilliseconds
        return try locked { (state) throws(TaskCoreError) in try state.updateJob(id, update, now: now) }
    }

    public func deleteJob(_ id: JobID) async throws(TaskCoreError) {
        try locked { (state) throws(TaskCoreError) in try state.deleteJob(id) }
    }

    public func pauseJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        let now = now.truncatedToMilliseconds
        return try locked { (state) throws(TaskCoreError) in try state.pauseJob(id, now: now) }
    }

    public func resumeJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        let now = now.truncatedToMilliseconds
        return try locked { (state) throws(TaskCoreError) in try state.resumeJob(id, now: now) }
    }

    public func triggerJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> TaskRecord {
        let now = now.truncatedToMilliseconds
        return try locked { (state) throws(TaskCoreError) in try state.triggerJob(id, now: now) }
    }

    public func fireDueJobs(now: Date, limit: Int, misfireGrace: Duration) async throws(TaskCoreError) -> [JobFiring] {
        let now = now.truncatedToMilliseconds
        return try locked { state in state.fireDueJobs(now: now, limit: limit, misfireGrace: misfireGrace) }
    }

    public func nextJobFireTime() async throws(TaskCoreError) -> Date? {
        try locked { state in state.nextJobFireTime() }
    }

    // MARK: Pruning

    public func pruneFinishedTasks(completedBefore cutoff: Date) async throws(TaskCoreError) -> Int {
        try locked { state in state.prune(completedBefore: cutoff) }
    }
}

// MARK: Flow control

extension InMemoryTaskStore: TaskStoreFlowControl {
    /// - Complexity: O(*k* · *l* · log *n*) for *k* claimed tasks and *l* lanes (type, queue,
    ///   priority) the filter admits.
    public func claimTasks(
        _ filter: ClaimFilter, worker: WorkerID, limit: Int, leaseDuration: Duration, now: Date
    ) async throws(TaskCoreError) -> [TaskRecord] {
        let now = now.truncatedToMilliseconds
        return try locked { (state) throws(TaskCoreError) in
            // Stamp starts with the time under the lock, as the SQL stores do: a `now` read before
            // waiting for the lock can precede a completion this claim sees, and the tasks' own
            // startedAt/completedAt would then show a limit broken that never was.
            let late = filter.currentTime.map { $0().truncatedToMilliseconds } ?? now
            return try state.claimTasks(filter, worker: worker, limit: limit, leaseDuration: leaseDuration, now: max(now, late))
        }
    }

    /// - Complexity: O(*n*) in the tasks held (for `oldestReadyAt`).
    public func queue(_ name: String, now: Date) async throws(TaskCoreError) -> QueueInfo {
        let now = now.truncatedToMilliseconds
        return try locked { (state) throws(TaskCoreError) in try state.queue(name, now: now) }
    }

    public func listQueues(now: Date) async throws(TaskCoreError) -> [QueueInfo] {
        let now = now.truncatedToMilliseconds
        return try locked { (state) throws(TaskCoreError) in state.listQueues(now: now) }
    }

    public func updateQueue(_ name: String, _ update: QueueUpdate, now: Date) async throws(TaskCoreError) -> QueueInfo {
        let now = now.truncatedToMilliseconds
        return try locked { (state) throws(TaskCoreError) in try state.updateQueue(name, update, now: now) }
    }

    public func nextEligibleTime(_ filter: ClaimFilter, now: Date) async throws(TaskCoreError) -> Date? {
        let now = now.truncatedToMilliseconds
        return try locked { (state) throws(TaskCoreError) in state.nextEligibleTime(filter, now: now) }
    }
}
