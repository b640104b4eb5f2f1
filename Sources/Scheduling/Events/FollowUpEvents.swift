import Synchronization
import TaskCore

/// Changes that a published task change implies but that no operation of this process returned:
/// the batch whose counts moved, and the dependents that a final task unblocked or cancelled in
/// the same store step (the store settles them; its change feed reports only other processes).
///
/// Work is coalesced: marks collect here while one flush reads the store, so a burst of 10,000
/// completions of one batch costs a few batch reads, not 10,000. Nothing is marked while no one
/// subscribes.
final class FollowUpEvents: Sendable {
    struct Work: Sendable {
        var batches: Set<BatchID> = []
        var settled: [TaskID] = []
        var isEmpty: Bool { batches.isEmpty && settled.isEmpty }
    }

    private struct State {
        var work = Work()
        var flushing = false
    }

    private let state = Mutex(State())

    /// Records what `task`'s change implies; returns `true` when the caller must start a flush
    /// (none is running).
    func mark(_ task: TaskRecord, settlesDependents: Bool) -> Bool {
        guard task.batchId != nil || settlesDependents else { return false }
        return state.withLock { state -> Bool in
            if let batch = task.batchId { state.work.batches.insert(batch) }
            if settlesDependents { state.work.settled.append(task.id) }
            if state.flushing { return false }
            state.flushing = true
            return true
        }
    }

    /// The work collected so far; ends the flush (returns empty) when there is none.
    func take() -> Work {
        state.withLock { state -> Work in
            let work = state.work
            state.work = Work()
            if work.isEmpty { state.flushing = false }
            return work
        }
    }
}

extension WorkerService {
    /// Publishes a task change and marks what it implies (see ``FollowUpEvents``).
    /// - Parameter fromThisProcess: whether this process made the change (then the dependents the
    ///   store settled with it are this process's to report; another process's feed reports them).
    func publishWithFollowUps(_ task: TaskRecord, fromThisProcess: Bool) {
        guard changes.deliver({ .task(task) }),
            followUps.mark(task, settlesDependents: fromThisProcess && task.status.isFinal)
        else { return }
        Task { await self.flushFollowUps() }
    }

    /// Reads and publishes the marked batches and dependents until no work is left.
    func flushFollowUps() async {
        while true {
            let work = followUps.take()
            if work.isEmpty { return }
            for id in work.settled {
                var query = TaskQuery(limit: TaskQuery.limitRange.upperBound)
                query.dependsOn = id
                // A dependent made ready may be claimed while it is read: the claim's events wait
                // until what was read is published (see PublishOrder), and a claim published before
                // the ticket was taken committed before the read, which then sees it.
                let ticket = publishOrder.open()
                let dependents = (try? await store.listTasks(query).tasks) ?? []
                publishOrder.close(ticket) {
                    // A dependent still blocked did not change; one that left `blocked` did, and a
                    // cancelled one may cascade to its own dependents.
                    for dependent in dependents.reversed() where dependent.status != .blocked {
                        publishWithFollowUps(dependent, fromThisProcess: true)
                    }
                }
            }
            guard let workflows = store as? any TaskStoreWorkflows else { continue }
            for id in work.batches.sorted() {
                if let batch = try? await workflows.batch(id) { changes.publish(.batch(batch)) }
            }
        }
    }
}
