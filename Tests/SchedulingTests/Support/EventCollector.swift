import Foundation
import Scheduling
import Synchronization
import TaskCore

/// Collects a service's events and lets a test wait for one, without sleeping.
final class EventCollector: Sendable {
    private struct Waiter {
        var id: Int
        var predicate: @Sendable (WorkerEvent) -> Bool
        var continuation: CheckedContinuation<WorkerEvent, Never>
    }

    private struct State {
        var nextID = 0
        var cancelled: Set<Int> = []
        var events: [WorkerEvent] = []
        var waiters: [Waiter] = []
    }

    private let state = Mutex(State())

    var sink: WorkerEventSink {
        WorkerEventSink { [self] event in self.receive(event) }
    }

    var events: [WorkerEvent] { state.withLock { $0.events } }

    private func receive(_ event: WorkerEvent) {
        let ready = state.withLock { state -> [CheckedContinuation<WorkerEvent, Never>] in
            state.events.append(event)
            var ready: [CheckedContinuation<WorkerEvent, Never>] = []
            state.waiters.removeAll { waiter in
                guard waiter.predicate(event) else { return false }
                ready.append(waiter.continuation)
                return true
            }
            return ready
        }
        for continuation in ready { continuation.resume(returning: event) }
    }

    /// Waits for the first event (already received or to come) that matches, or until the test is
    /// cancelled (its time limit), so a missing event fails the test instead of hanging the run.
    @discardableResult
    func first(where predicate: @escaping @Sendable (WorkerEvent) -> Bool) async -> WorkerEvent {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let found = state.withLock { state -> WorkerEvent? in
                    if state.cancelled.remove(id) != nil { return .pruned(count: -1) }
                    if let event = state.events.first(where: predicate) { return event }
                    state.waiters.append(Waiter(id: id, predicate: predicate, continuation: continuation))
                    return nil
                }
                if let found { continuation.resume(returning: found) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<WorkerEvent, Never>? in
                if let index = state.waiters.firstIndex(where: { $0.id == id }) {
                    return state.waiters.remove(at: index).continuation
                }
                state.cancelled.insert(id)
                return nil
            }
            waiter?.resume(returning: .pruned(count: -1))  // a placeholder; the time limit records the failure
        }
    }

    /// Waits until task `id` finished an attempt with `status` (or any status when `nil`).
    @discardableResult
    func attemptFinished(_ id: TaskID, status: TaskStatus? = nil, count: Int = 1) async -> TaskStatus {
        var seen = 0
        var last: TaskStatus = .pending
        while seen < count {
            let skip = seen
            let event = await nth(skip) { event in
                if case .attemptFinished(let task, let s) = event { return task == id && (status == nil || s == status) }
                return false
            }
            if case .attemptFinished(_, let s) = event { last = s }
            seen += 1
        }
        return last
    }

    /// Waits for the (n+1)-th matching event.
    @discardableResult
    func nth(_ n: Int, where predicate: @escaping @Sendable (WorkerEvent) -> Bool) async -> WorkerEvent {
        let counter = Mutex(0)
        return await first { event in
            guard predicate(event) else { return false }
            return counter.withLock { seen in
                seen += 1
                return seen > n
            }
        }
    }

    func count(where predicate: (WorkerEvent) -> Bool) -> Int {
        state.withLock { $0.events.filter(predicate).count }
    }
}
