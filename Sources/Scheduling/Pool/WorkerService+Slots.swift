import Foundation
import TaskCore
import Synchronization

extension WorkerService {
    /// Keeps one slot alive: runs its loop in a Swift task of its own and replaces that task after
    /// an interruption cancelled it, until the pool stops.
    func superviseSlot(_ slot: Int) async {
        while true {
            // Unstructured on purpose, and the one place the pool creates such a task: Swift offers
            // no way to cancel a single child of a task group, yet a slot's handler must be
            // cancellable on its own (task cancelled, timed out, lease lost). The task is awaited
            // right here, so it never outlives the pool, and run() does not return before it ends.
            let slotTask = Task { await self.slotLoop(slot) }
            let cancelNow = book.withLock { book in
                book.slotTasks[slot] = slotTask
                return book.pendingSlotCancels.remove(slot) != nil
            }
            if cancelNow { slotTask.cancel() }
            await withTaskCancellationHandler {
                await slotTask.value
            } onCancel: {
                self.interruptSlot(slot, .shutdown)
            }
            let stop = book.withLock { book in
                book.slotTasks[slot] = nil
                return book.stopping
            }
            if stop || Task.isCancelled { return }
        }
    }

    /// Runs `body` under the pool's lock, then cancels the slot tasks it interrupted. Cancelling
    /// happens outside the lock because cancellation handlers run synchronously, and a handler's
    /// own may call back into the pool (e.g. `TaskContext.isInterrupted`).
    func updateBook<Result: Sendable>(_ body: (inout PoolBook) -> Result) -> Result {
        let (result, toCancel) = book.withLock { book -> (Result, [Task<Void, Never>]) in
            let result = body(&book)
            defer { book.toCancel.removeAll() }
            return (result, book.toCancel)
        }
        for task in toCancel { task.cancel() }
        return result
    }

    /// Interrupts whatever `slot` runs and cancels its Swift task.
    func interruptSlot(_ slot: Int, _ reason: Interruption) {
        updateBook { book in
            for entry in book.running.entries where entry.slot == slot {
                _ = book.interrupt(entry.id, reason)
            }
            if let task = book.slotTasks[slot] { book.toCancel.append(task) }
        }
    }

    /// Interrupts the handler running task `id` in this process, or drops it from the claimed
    /// tasks waiting for a slot.
    func interruptLocally(_ id: TaskID, _ reason: Interruption) {
        let interrupted = updateBook { book -> Bool in
            if book.interrupt(id, reason) != nil { return true }
            return book.removeBuffered(id) != nil
        }
        if interrupted { events.emit(.handlerInterrupted(task: id, reason: reason.description)) }
    }

    /// One slot: runs claimed tasks one after another; claims when nothing is buffered and no other
    /// slot claims; otherwise parks until a claim hands it work.
    func slotLoop(_ slot: Int) async {
        var action = await nextAction(slot)
        var emptyReadyClaims = 0
        loop: while true {
            switch action {
            case .stop:
                break loop
            case .run(let task):
                await runAttempt(task, slot: slot)
                if Task.isCancelled { break loop }
                action = await nextAction(slot)
            case .claim(let limit):
                action = await claim(slot: slot, limit: limit)
                if case .idleWait = action {} else { emptyReadyClaims = 0 }
            case .idleWait:
                let readyNow = await idleWait(spinAllowed: emptyReadyClaims == 0)
                emptyReadyClaims = readyNow ? emptyReadyClaims + 1 : 0
                if Task.isCancelled { break loop }
                action = book.withLock { book -> SlotAction in
                    if book.stopping { return .stop }
                    return .claim(limit: book.claimLimit(prefetch: configuration.prefetch))
                }
            }
        }
        leaveClaimerRole(slot)
    }

    /// Gives up the claimer role on exit, handing it to a parked slot if there is one.
    private func leaveClaimerRole(_ slot: Int) {
        let handOver = book.withLock { book -> CheckedContinuation<SlotAction, Never>? in
            guard book.claimer == slot else { return nil }
            book.claimer = nil
            guard !book.stopping, !book.parked.isEmpty else { return nil }
            let next = book.parked.removeFirst()
            book.claimer = next.slot
            return next.continuation
        }
        handOver?.resume(returning: .idleWait)
    }

    /// What the slot does next: run a buffered task, claim, or park until another slot's claim
    /// hands it something.
    private func nextAction(_ slot: Int) async -> SlotAction {
        let now = clock.now
        let timeout = configuration.defaultTimeout
        let prefetch = configuration.prefetch
        let (action, wake) = book.withLock {
            $0.takeAction(slot: slot, now: now, defaultTimeout: timeout, prefetch: prefetch)
        }
        if wake { maintenanceWake.signal() }
        if let action { return action }
        return await withCheckedContinuation { (continuation: CheckedContinuation<SlotAction, Never>) in
            let (action, wake) = book.withLock { book -> (SlotAction?, Bool) in
                let taken = book.takeAction(slot: slot, now: clock.now, defaultTimeout: timeout, prefetch: prefetch)
                if taken.action == nil { book.parked.append((slot, continuation)) }
                return taken
            }
            if wake { maintenanceWake.signal() }
            if let action { continuation.resume(returning: action) }
        }
    }

    /// Claims up to `limit` ready tasks as the pool's claimer and shares them out: the first for this
    /// slot, then one per parked slot, the rest into the buffer.
    private func claim(slot: Int, limit: Int) async -> SlotAction {
        let types = handledTypes
        guard !types.isEmpty else { return .idleWait }
        let claimed: [TaskRecord]
        do {
            claimed = try await store.claimTasks(
                types: types, worker: configuration.workerID, limit: limit,
                leaseDuration: configuration.leaseDuration, now: clock.now)
        } catch {
            events.emit(.storeError(operation: "claimTasks", error: error))
            return .idleWait
        }
        for task in claimed { publish(task) }
        let now = clock.now
        let timeout = configuration.defaultTimeout
        let prefetch = configuration.prefetch
        var resumes: [(CheckedContinuation<SlotAction, Never>, SlotAction)] = []
        var toRelease: [TaskRecord] = []
        var wakeMaintenance = false
        let action = book.withLock { book -> SlotAction in
            if book.stopping {
                book.claimer = nil
                toRelease = claimed
                return .stop
            }
            guard let first = claimed.first else { return .idleWait }
            wakeMaintenance = book.start(first, slot: slot, now: now, defaultTimeout: timeout) || wakeMaintenance
            var rest = claimed.dropFirst()
            while !book.parked.isEmpty, let task = rest.popFirst() {
                let parked = book.parked.removeFirst()
                wakeMaintenance =
                    book.start(task, slot: parked.slot, now: now, defaultTimeout: timeout) || wakeMaintenance
                resumes.append((parked.continuation, .run(task)))
            }
            book.buffer.append(contentsOf: rest)
            if book.parked.isEmpty {
                book.claimer = nil
            } else {
                // Slots are still idle: one of them takes over claiming.
                let next = book.parked.removeFirst()
                book.claimer = next.slot
                let more: SlotAction =
                    claimed.count >= limit ? .claim(limit: book.claimLimit(prefetch: prefetch)) : .idleWait
                resumes.append((next.continuation, more))
            }
            return .run(first)
        }
        for (continuation, action) in resumes { continuation.resume(returning: action) }
        if wakeMaintenance { maintenanceWake.signal() }
        for task in toRelease { await release(task) }
        return action
    }

    /// Waits until a task may be ready: the earliest `runAt` among the handled types, a wake-up
    /// (enqueue through this service, store notification, stop), or the poll interval.
    /// - Returns: whether a task was already ready (so the claim that found nothing raced).
    private func idleWait(spinAllowed: Bool) async -> Bool {
        let types = handledTypes
        let now = clock.now
        var deadline = now.adding(configuration.pollInterval)
        if !types.isEmpty {
            do {
                if let next = try await store.nextReadyTime(types: types) {
                    if next <= now && spinAllowed { return true }
                    if next > now { deadline = min(deadline, next) }
                }
            } catch {
                events.emit(.storeError(operation: "nextReadyTime", error: error))
            }
        }
        if book.withLock({ $0.stopping }) { return false }
        await clock.wait(until: deadline, orUntil: poolWake)
        return false
    }
}
