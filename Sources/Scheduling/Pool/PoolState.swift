import Foundation
import Synchronization
import TaskCore

/// Why a running handler is stopped before it returns.
enum Interruption: Sendable, CustomStringConvertible {
    /// The task was cancelled (through this service, or noticed at lease renewal).
    case cancelled
    /// The attempt ran past its time limit.
    case timedOut(Duration)
    /// Another worker recovered the task after the lease ran out.
    case leaseLost
    /// The service shut down before the handler finished.
    case shutdown

    var description: String {
        switch self {
        case .cancelled: "cancelled"
        case .timedOut(let limit): "timed out after \(limit.milliseconds) ms"
        case .leaseLost: "lease lost"
        case .shutdown: "shutdown"
        }
    }
}

/// A task this pool holds a lease on and runs (or is about to run) in a slot.
struct RunningEntry: Sendable {
    var id: TaskID
    var token: Int64
    var slot: Int
    /// When the attempt times out, if it has a limit.
    var deadline: Date?
    var timeout: Duration?
    /// Set once the handler was interrupted; its outcome is then discarded.
    var interruption: Interruption?
}

/// The tasks running in the pool, one place per slot: a lookup scans at most `concurrency`
/// entries, which is cheaper than hashing on every start and finish.
struct RunningTable: Sendable {
    private var bySlot: [RunningEntry?]
    private(set) var count = 0

    init(slots: Int) { bySlot = Array(repeating: nil, count: slots) }

    var isEmpty: Bool { count == 0 }
    var entries: [RunningEntry] { bySlot.compactMap { $0 } }
    var ids: [TaskID] { entries.map(\.id) }

    subscript(id: TaskID) -> RunningEntry? {
        for case let entry? in bySlot where entry.id == id { return entry }
        return nil
    }

    mutating func insert(_ entry: RunningEntry) {
        if bySlot[entry.slot] == nil { count += 1 }
        bySlot[entry.slot] = entry
    }

    mutating func update(_ entry: RunningEntry) { bySlot[entry.slot] = entry }

    mutating func remove(_ id: TaskID) -> RunningEntry? {
        guard let slot = bySlot.firstIndex(where: { $0?.id == id }), let entry = bySlot[slot] else { return nil }
        bySlot[slot] = nil
        count -= 1
        return entry
    }
}

/// What a slot does next.
enum SlotAction: Sendable {
    /// Run this claimed task (already registered as running in the slot).
    case run(TaskRecord)
    /// Claim up to `limit` tasks from the store (the slot is now the pool's one claimer).
    case claim(limit: Int)
    /// Become the claimer and wait for work to become ready before claiming.
    case idleWait
    /// The pool is stopping.
    case stop
}

/// The pool's shared bookkeeping, behind one lock: claimed tasks waiting for a slot, the running
/// tasks with their slots, the slots' Swift tasks, and parked slots.
struct PoolBook: ~Copyable {
    var buffer: [TaskRecord] = []
    var bufferHead = 0
    var running: RunningTable
    /// The Swift task currently running each slot; `nil` between two incarnations.
    var slotTasks: [Task<Void, Never>?]
    /// Slot tasks to cancel once the lock is released (see ``WorkerService/updateBook(_:)``).
    var toCancel: [Task<Void, Never>] = []
    /// Slots whose task must be cancelled as soon as it is known.
    var pendingSlotCancels: Set<Int> = []
    var parked: [(slot: Int, continuation: CheckedContinuation<SlotAction, Never>)] = []
    /// The slot claiming (or waiting to claim) for the pool, if any: at most one at a time.
    var claimer: Int?
    var stopping = false
    /// Slots not running a handler.
    var idleSlots: Int
    /// When the maintenance loop plans to wake next.
    var maintenanceWake: Date = .distantFuture

    init(concurrency: Int) {
        slotTasks = Array(repeating: nil, count: concurrency)
        running = RunningTable(slots: concurrency)
        idleSlots = concurrency
    }

    var bufferedCount: Int { buffer.count - bufferHead }

    mutating func popBuffered() -> TaskRecord? {
        guard bufferHead < buffer.count else { return nil }
        let task = buffer[bufferHead]
        bufferHead += 1
        if bufferHead == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            bufferHead = 0
        } else if bufferHead > 1024, bufferHead * 2 > buffer.count {
            buffer.removeFirst(bufferHead)
            bufferHead = 0
        }
        return task
    }

    /// Removes and returns every buffered task.
    mutating func drainBuffer() -> [TaskRecord] {
        let tasks = Array(buffer[bufferHead...])
        buffer.removeAll()
        bufferHead = 0
        return tasks
    }

    /// Removes one buffered task, if it is buffered.
    mutating func removeBuffered(_ id: TaskID) -> TaskRecord? {
        guard let index = buffer[bufferHead...].firstIndex(where: { $0.id == id }) else { return nil }
        return buffer.remove(at: index)
    }

    /// What a slot that has nothing to run does next; `nil` means park until told.
    mutating func takeAction(slot: Int, now: Date, defaultTimeout: Duration?, prefetch: Int)
        -> (action: SlotAction?, wakeMaintenance: Bool)
    {
        if stopping { return (.stop, false) }
        if let task = popBuffered() {
            let wake = start(task, slot: slot, now: now, defaultTimeout: defaultTimeout)
            return (.run(task), wake)
        }
        if claimer == nil {
            claimer = slot
            return (.claim(limit: claimLimit(prefetch: prefetch)), false)
        }
        return (nil, false)
    }

    /// How many tasks a claim should ask for: one per idle slot plus the prefetch, less what is
    /// already buffered.
    func claimLimit(prefetch: Int) -> Int {
        max(1, idleSlots + prefetch - bufferedCount)
    }

    /// Registers `task` as running in `slot`, with its deadline computed from `now`.
    mutating func start(_ task: TaskRecord, slot: Int, now: Date, defaultTimeout: Duration?) -> Bool {
        let timeout = task.timeout ?? defaultTimeout
        let deadline = timeout.map { now.adding($0) }
        running.insert(RunningEntry(
            id: task.id, token: task.lease?.token ?? 0, slot: slot, deadline: deadline, timeout: timeout))
        idleSlots -= 1
        guard let deadline else { return false }
        return deadline < maintenanceWake
    }

    /// Marks `id` as no longer running in its slot; returns its interruption if it had one.
    mutating func finish(_ id: TaskID) -> (entry: RunningEntry, interruption: Interruption?)? {
        guard let entry = running.remove(id) else { return nil }
        idleSlots += 1
        return (entry, entry.interruption)
    }

    /// Marks a running task as interrupted and schedules its slot's Swift task for cancellation.
    /// - Returns: the entry when this call interrupted it (`nil` when not running or already interrupted).
    mutating func interrupt(_ id: TaskID, _ reason: Interruption) -> RunningEntry? {
        guard var entry = running[id], entry.interruption == nil else { return nil }
        entry.interruption = reason
        running.update(entry)
        if let slotTask = slotTasks[entry.slot] {
            toCancel.append(slotTask)
        } else {
            pendingSlotCancels.insert(entry.slot)
        }
        return entry
    }
}
