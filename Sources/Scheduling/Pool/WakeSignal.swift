import Synchronization

/// A wake-up flag one loop waits on and anyone may raise.
///
/// A signal raised while nobody waits is remembered, so a wake-up between a loop's look at the
/// store and its wait is never lost.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var nextID: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var cancelledIDs: Set<UInt64> = []
    }

    private let state = Mutex(State())

    /// Wakes the waiters, or the next waiter if none is waiting now.
    func signal() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.waiters.isEmpty else {
                state.pending = true
                return []
            }
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Forgets a signal raised while nobody waited (the loops about to start look anyway).
    func reset() {
        state.withLock { $0.pending = false }
    }

    /// Waits until the signal is raised (returns at once if it was raised meanwhile) or the
    /// calling task is cancelled.
    func wait() async {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.cancelledIDs.remove(id) != nil { return true }
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                state.cancelledIDs.insert(id)
                return nil
            }
            waiter?.resume()
        }
    }
}
