import Foundation

/// Everything an ``InMemoryTaskStore`` holds; only ever touched under the store's lock.
struct InMemoryStoreState {
    /// One task with its bookkeeping.
    struct Slot {
        var record: TaskRecord
        /// The index of the task's type in ``InMemoryStoreState/types``.
        var typeIndex: Int
        /// The fencing counter: incremented on every claim, never reset; a lease's token.
        var fence: Int64 = 0
        /// Bumped on every enqueue; queue entries with another value are stale.
        var queueGeneration: UInt32 = 0
        /// The token of the claim that was running when the task was cancelled, if it was.
        var cancelledToken: Int64?
        var log: TaskLogBuffer
    }

    /// A ready task in dispatch order: the greatest key is served first.
    struct ReadyKey: Comparable {
        var priority: Int
        var runAt: Int64
        var id: Int64
        var generation: UInt32

        static func < (a: ReadyKey, b: ReadyKey) -> Bool {
            if a.priority != b.priority { return a.priority < b.priority }
            if a.runAt != b.runAt { return a.runAt > b.runAt }
            return a.id > b.id
        }
    }

    /// A task waiting for its `runAt`: the earliest is the greatest key.
    struct DelayedKey: Comparable {
        var runAt: Int64
        var id: Int64
        var priority: Int
        var generation: UInt32

        static func < (a: DelayedKey, b: DelayedKey) -> Bool {
            if a.runAt != b.runAt { return a.runAt > b.runAt }
            return a.id > b.id
        }
    }

    /// The queues and counts of one task type.
    struct TypeQueue {
        let name: String
        var ready = PriorityQueue<ReadyKey>()
        var delayed = PriorityQueue<DelayedKey>()
        var counts = StatusCounts()
        init(name: String) { self.name = name }
    }

    /// Task counts by status.
    struct StatusCounts {
        var values: (Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0)

        subscript(status: TaskStatus) -> Int {
            get {
                switch status {
                case .pending: values.0
                case .processing: values.1
                case .completed: values.2
                case .failed: values.3
                case .cancelled: values.4
                case .retrying: values.5
                }
            }
            set {
                switch status {
                case .pending: values.0 = newValue
                case .processing: values.1 = newValue
                case .completed: values.2 = newValue
                case .failed: values.3 = newValue
                case .cancelled: values.4 = newValue
                case .retrying: values.5 = newValue
                }
            }
        }

        var total: Int { values.0 + values.1 + values.2 + values.3 + values.4 + values.5 }

        /// The public form, with only the statuses that have tasks.
        var publicCounts: TaskStats.Counts {
            var counts = TaskStats.Counts()
            for status in TaskStatus.allCases where self[status] > 0 { counts[status] = self[status] }
            return counts
        }
    }

    /// A cron job with its parsed schedule.
    struct JobEntry {
        var job: ScheduledJob
        var schedule: JobSchedule
    }

    let configuration: InMemoryTaskStore.Configuration
    /// Tasks by id - 1; `nil` once pruned.
    var slots: [Slot?] = []
    var types: [TypeQueue] = []
    var typeIndexByName: [String: Int] = [:]
    /// The unfinished task holding each unique key.
    var uniqueKeys: [String: Int64] = [:]
    /// Ids of processing tasks (for lease expiry).
    var processing: Set<Int64> = []
    var counts = StatusCounts()
    var completedDurationCount = 0
    var completedDurationTotalMilliseconds: Int64 = 0
    var jobs: [Int64: JobEntry] = [:]
    var nextJobID: Int64 = 1

    init(configuration: InMemoryTaskStore.Configuration) {
        self.configuration = configuration
    }

    // MARK: Lookup

    /// The slot index of task `id`.
    /// - Throws: `notFound`.
    func index(of id: TaskID) throws(TaskCoreError) -> Int {
        let index = Int(truncatingIfNeeded: id.rawValue &- 1)
        guard id.rawValue >= 1, index < slots.count, slots[index] != nil else { throw .taskNotFound(id) }
        return index
    }

    /// The slot index of task `id`, which must be processing under `token`.
    /// - Throws: `notFound`; `leaseLost`.
    func heldIndex(of id: TaskID, token: Int64) throws(TaskCoreError) -> Int {
        let index = try index(of: id)
        let record = slots[index]!.record
        guard record.status == .processing, record.lease?.token == token else { throw .leaseLost(id) }
        return index
    }

    /// The index of a type's queue, created on first use.
    mutating func typeIndex(for name: String) -> Int {
        if let index = typeIndexByName[name] { return index }
        types.append(TypeQueue(name: name))
        typeIndexByName[name] = types.count - 1
        return types.count - 1
    }

    // MARK: Status changes

    /// Moves the task at `index` through `event` (the only place a status is assigned), keeping the
    /// counts, the processing set and the unique keys up to date.
    mutating func apply(_ event: TaskEvent, at index: Int) throws(TaskCoreError) {
        let old = slots[index]!.record.status
        let new = try old.applying(event, to: slots[index]!.record.id)
        slots[index]!.record.status = new
        let typeIndex = slots[index]!.typeIndex
        counts[old] -= 1
        counts[new] += 1
        types[typeIndex].counts[old] -= 1
        types[typeIndex].counts[new] += 1
        let id = Int64(index + 1)
        if old == .processing { processing.remove(id) }
        if new == .processing { processing.insert(id) }
        if new.isFinal, let key = slots[index]!.record.uniqueKey, uniqueKeys[key] == id {
            uniqueKeys[key] = nil
        }
        if old.isFinal, let key = slots[index]!.record.uniqueKey, uniqueKeys[key] == nil {
            uniqueKeys[key] = id
        }
    }

    /// Puts a pending or retrying task into its type's ready or delayed queue.
    mutating func enqueue(at index: Int, now: Date) {
        slots[index]!.queueGeneration &+= 1
        let record = slots[index]!.record
        let generation = slots[index]!.queueGeneration
        let runAt = record.runAt.storeMilliseconds
        let typeIndex = slots[index]!.typeIndex
        if record.runAt <= now {
            types[typeIndex].ready.push(
                ReadyKey(priority: record.priority.rawValue, runAt: runAt, id: record.id.rawValue, generation: generation))
        } else {
            types[typeIndex].delayed.push(
                DelayedKey(runAt: runAt, id: record.id.rawValue, priority: record.priority.rawValue, generation: generation))
        }
    }

    /// Whether a queue entry still stands for a claimable task.
    func isLive(id: Int64, generation: UInt32) -> Bool {
        guard let slot = slots[Int(id - 1)] else { return false }
        return slot.queueGeneration == generation && slot.record.status.isClaimable
    }

    /// Appends a line to the log of the task at `index`.
    mutating func log(at index: Int, _ level: TaskLogEntry.Level, _ event: TaskLogBuffer.Event, now: Date, attempt: Int?) {
        slots[index]!.log.append(
            TaskLogBuffer.Line(timestamp: now, level: level, event: event, attempt: attempt), configuration: configuration)
    }

    /// Sets the status of the job that enqueued a task which just completed or failed for good.
    mutating func noteJobOutcome(jobId: JobID?, succeeded: Bool, now: Date) {
        guard let jobId, var entry = jobs[jobId.rawValue], entry.job.status != .paused else { return }
        let status: JobStatus = succeeded ? .active : .failed
        guard entry.job.status != status else { return }
        entry.job.status = status
        entry.job.updatedAt = now
        jobs[jobId.rawValue] = entry
    }
}
