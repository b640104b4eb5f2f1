import Foundation

/// Everything an ``InMemoryTaskStore`` holds; only ever touched under the store's lock.
struct InMemoryStoreState {
    /// One task with its bookkeeping.
    struct Slot {
        var record: TaskRecord
        /// The index of the task's type in ``InMemoryStoreState/types``.
        var typeIndex: Int
        /// The index of the task's lane (type, queue, priority) in ``InMemoryStoreState/lanes``.
        var laneIndex: Int
        /// The index of the task's queue in ``InMemoryStoreState/queues``.
        var queueIndex: Int
        /// The fencing counter: incremented on every claim, never reset; a lease's token.
        var fence: Int64 = 0
        /// Bumped on every enqueue; queue entries with another value are stale.
        var queueGeneration: UInt32 = 0
        /// The token of the claim that was running when the task was cancelled, if it was.
        var cancelledToken: Int64?
        /// The task's position in ``InMemoryStoreState/processing`` while it is processing.
        var processingPosition: Int32 = -1
        /// Whether the task was pruned.
        var deleted = false
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

    /// The counts of one task type.
    struct TypeQueue {
        let name: String
        var counts = StatusCounts()
        init(name: String) { self.name = name }
    }

    /// The ready and delayed tasks of one type in one queue at one priority: claims compare the
    /// tops of the lanes they may take from (so a limited queue's lanes can be skipped whole, and
    /// priority aging compares each priority's oldest task).
    struct Lane {
        let typeIndex: Int
        let queueIndex: Int
        let priority: Int
        var ready = PriorityQueue<ReadyKey>()
        var delayed = PriorityQueue<DelayedKey>()
    }

    /// Task counts by status.
    struct StatusCounts {
        var values: (Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0)

        subscript(status: TaskStatus) -> Int {
            get {
                switch status {
                case .pending: values.0
                case .processing: values.1
                case .completed: values.2
                case .failed: values.3
                case .cancelled: values.4
                case .retrying: values.5
                case .blocked: values.6
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
                case .blocked: values.6 = newValue
                }
            }
        }

        var total: Int { values.0 + values.1 + values.2 + values.3 + values.4 + values.5 + values.6 }

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
    /// Tasks by id - ``baseID``. Pruned tasks become emptied tombstones, so that ids keep mapping to
    /// indices; tombstones at the front are dropped (advancing ``baseID``).
    var slots: [Slot] = []
    /// The id of `slots[0]`.
    var baseID: Int64 = 1
    var types: [TypeQueue] = []
    var typeIndexByName: [String: Int] = [:]
    /// Indices of ``types`` whose type has no task left (``releaseTypeIfEmpty(_:)``), reused with
    /// their lanes by the next new type: a store that sees ever new type names keeps as many type
    /// entries as it has types with tasks at once, not one per name ever seen.
    var freeTypeIndices: [Int] = []
    var lanes: [Lane] = []
    /// The lanes of each type (by type index).
    var lanesByType: [[Int]] = []
    /// Lane indices by type index, queue index and priority.
    var laneIndexByKey: [LaneKey: Int] = [:]
    /// The queues (settings, counts and flow-control bookkeeping) by index.
    var queues: [QueueState] = []
    var queueIndexByName: [String: Int] = [:]
    /// The unfinished task holding each unique key.
    var uniqueKeys: [String: Int64] = [:]
    /// Ids of processing tasks (for lease expiry), in no order; each slot knows its position, so
    /// adding and removing are O(1) without hashing.
    var processing: [Int64] = []
    var counts = StatusCounts()
    var completedDurationCount = 0
    var completedDurationTotalMilliseconds: Int64 = 0
    var jobs: [Int64: JobEntry] = [:]
    var nextJobID: Int64 = 1
    /// Dependencies and batches (see `InMemoryTaskStore+Workflows.swift`).
    var workflow = WorkflowState()

    init(configuration: InMemoryTaskStore.Configuration) {
        self.configuration = configuration
    }

    // MARK: Lookup

    /// The slot index of a task id (negative for ids dropped by pruning).
    @inline(__always)
    func slotIndex(_ id: Int64) -> Int { Int(truncatingIfNeeded: id &- baseID) }

    /// The task id of a slot index.
    @inline(__always)
    func taskID(at index: Int) -> Int64 { Int64(index) &+ baseID }

    /// The slot index of task `id`.
    /// - Throws: `notFound`.
    func index(of id: TaskID) throws(TaskCoreError) -> Int {
        let index = slotIndex(id.rawValue)
        guard id.rawValue >= baseID, index < slots.count, !slots[index].deleted else { throw .taskNotFound(id) }
        return index
    }

    /// The slot index of task `id`, which must be processing under `token`.
    /// - Throws: `notFound`; `leaseLost`.
    func heldIndex(of id: TaskID, token: Int64) throws(TaskCoreError) -> Int {
        let index = try index(of: id)
        guard slots[index].record.status == .processing, slots[index].record.lease?.token == token else {
            throw .leaseLost(id)
        }
        return index
    }

    /// Empties the slot of a deleted (or pruned) task: what it held is freed, the slot stays so that
    /// later ids keep their indices until ``dropLeadingTombstones()`` can drop it.
    mutating func makeTombstone(at index: Int) {
        slots[index].deleted = true
        slots[index].log = TaskLogBuffer(reservingCapacity: 0)
        slots[index].record.payload = .null
        slots[index].record.result = nil
        slots[index].record.error = nil
        slots[index].record.dependsOn = []
    }

    /// A task of type `typeIndex` left the store (deleted or pruned): when the type has no task
    /// left, its entry is given back for reuse, and its lanes, which can then only hold entries of
    /// deleted tasks, are emptied (issue 12, D4 repeated: each new type name cost about 600 bytes for good).
    mutating func releaseTypeIfEmpty(_ typeIndex: Int) {
        let name = types[typeIndex].name
        guard types[typeIndex].counts.total == 0, typeIndexByName[name] == typeIndex else { return }
        typeIndexByName[name] = nil
        for lane in lanesByType[typeIndex] {
            lanes[lane].ready = PriorityQueue()
            lanes[lane].delayed = PriorityQueue()
        }
        types[typeIndex] = TypeQueue(name: "")
        freeTypeIndices.append(typeIndex)
    }

    /// Drops the tombstones at the front of ``slots`` (advancing ``baseID``): deletions and pruning
    /// mostly remove the oldest tasks, so the slots of a store whose tasks come and go stay few.
    mutating func dropLeadingTombstones() {
        var leading = 0
        while leading < slots.count, slots[leading].deleted { leading += 1 }
        if leading == slots.count {
            slots.removeAll(keepingCapacity: false)
        } else if leading > 0 {
            slots.removeFirst(leading)
        }
        baseID += Int64(leading)
    }

    /// The index of a type's queue, created on first use.
    mutating func typeIndex(for name: String) -> Int {
        if let index = typeIndexByName[name] { return index }
        if let index = freeTypeIndices.popLast() {
            types[index] = TypeQueue(name: name)
            typeIndexByName[name] = index
            return index
        }
        types.append(TypeQueue(name: name))
        lanesByType.append([])
        typeIndexByName[name] = types.count - 1
        return types.count - 1
    }

    // MARK: Status changes

    /// Moves the task at `index` through `event` (the only place a status is assigned), keeping the
    /// counts, the processing set and the unique keys up to date.
    mutating func apply(_ event: TaskEvent, at index: Int) throws(TaskCoreError) {
        let old = slots[index].record.status
        let new = try old.applying(event, to: slots[index].record.id)
        slots[index].record.status = new
        let typeIndex = slots[index].typeIndex
        counts[old] -= 1
        counts[new] += 1
        types[typeIndex].counts[old] -= 1
        types[typeIndex].counts[new] += 1
        let queueIndex = slots[index].queueIndex
        queues[queueIndex].counts[old] -= 1
        queues[queueIndex].counts[new] += 1
        let id = taskID(at: index)
        if old == .processing {
            removeFromProcessing(at: index)
            if let key = slots[index].record.concurrencyKey { keyStopped(key, inQueue: queueIndex) }
        }
        if new == .processing {
            slots[index].processingPosition = Int32(processing.count)
            processing.append(id)
            if let key = slots[index].record.concurrencyKey { queues[queueIndex].processingByKey[key, default: 0] += 1 }
        }
        if slots[index].record.uniqueKey != nil {
            let key = slots[index].record.uniqueKey!
            if new.isFinal, uniqueKeys[key] == id { uniqueKeys[key] = nil }
            if old.isFinal, uniqueKeys[key] == nil { uniqueKeys[key] = id }
        }
    }

    /// Takes the task at `index` out of the processing list (swapping the last entry into its place).
    mutating func removeFromProcessing(at index: Int) {
        let position = Int(slots[index].processingPosition)
        let lastID = processing.removeLast()
        if position < processing.count {
            processing[position] = lastID
            slots[slotIndex(lastID)].processingPosition = Int32(position)
        }
        slots[index].processingPosition = -1
    }

    /// Puts a pending or retrying task into its type's ready or delayed queue.
    mutating func enqueue(at index: Int, now: Date) {
        slots[index].queueGeneration &+= 1
        let generation = slots[index].queueGeneration
        let runAtDate = slots[index].record.runAt
        let runAt = runAtDate.storeMilliseconds
        let priority = slots[index].record.priority.rawValue
        let id = taskID(at: index)
        let laneIndex = slots[index].laneIndex
        if runAtDate <= now {
            lanes[laneIndex].ready.push(ReadyKey(priority: priority, runAt: runAt, id: id, generation: generation))
        } else {
            lanes[laneIndex].delayed.push(DelayedKey(runAt: runAt, id: id, priority: priority, generation: generation))
        }
    }

    /// Whether a queue entry still stands for a claimable task.
    func isLive(id: Int64, generation: UInt32) -> Bool {
        let index = slotIndex(id)
        guard index >= 0 else { return false }
        return slots[index].queueGeneration == generation && slots[index].record.status.isClaimable
            && !slots[index].deleted
    }

    /// Appends a line to the log of the task at `index`.
    mutating func log(at index: Int, _ level: TaskLogEntry.Level, _ event: TaskLogBuffer.Event, now: Date, attempt: Int?) {
        slots[index].log.append(
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
