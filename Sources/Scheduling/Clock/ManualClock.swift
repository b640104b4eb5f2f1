public import Foundation
import Synchronization

/// A clock that only moves when a test moves it.
///
/// Sleepers park until ``advance(by:)`` or ``advance(to:)`` passes their deadline; they are resumed
/// in deadline order. ``waitForSleepers(_:)`` lets a test wait until the service's loops have gone
/// to sleep (a quiescent point) before it moves time on, so tests need no real sleeps.
///
/// ```swift
/// let clock = ManualClock()
/// let service = WorkerService(store: store, clock: clock)
/// // ... start the service, enqueue a task with a 5 s delay ...
/// await clock.waitForSleepers(3)
/// clock.advance(by: .seconds(5))
/// ```
public final class ManualClock: ServiceClock {
    private struct Sleeper {
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct Waiter {
        var condition: @Sendable ([Date]) -> Bool
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var now: Date
        var nextID: UInt64 = 0
        var sleepers: [UInt64: Sleeper] = [:]
        /// Sleeps cancelled before they were registered.
        var cancelledIDs: Set<UInt64> = []
        var waiters: [Waiter] = []

        /// Takes the waiters whose count is reached.
        mutating func takeSatisfiedWaiters() -> [CheckedContinuation<Void, Never>] {
            var satisfied: [CheckedContinuation<Void, Never>] = []
            let deadlines = sleepers.values.map(\.deadline)
            waiters.removeAll { waiter in
                guard waiter.condition(deadlines) else { return false }
                satisfied.append(waiter.continuation)
                return true
            }
            return satisfied
        }
    }

    private let state: Mutex<State>

    /// Creates a clock showing `start` (by default 2026-01-01T00:00:00Z).
    public init(start: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        state = Mutex(State(now: start))
    }

    /// The time the clock shows; it changes only through ``advance(by:)`` and ``advance(to:)``.
    public var now: Date { state.withLock { $0.now } }

    /// How many sleepers are parked right now.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The earliest deadline of a parked sleeper, if any.
    public var nextDeadline: Date? { state.withLock { $0.sleepers.values.map(\.deadline).min() } }

    /// Parks the caller until the clock is advanced to `deadline` (returns at once if it has passed).
    /// - Throws: `CancellationError` when the calling task is cancelled while parked.
    public func sleep(until deadline: Date) async throws {
        try Task.checkCancellation()
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Action { case resume, cancel, park([CheckedContinuation<Void, Never>]) }
                let action: Action = state.withLock { state in
                    if state.cancelledIDs.remove(id) != nil { return .cancel }
                    if deadline <= state.now { return .resume }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return .park(state.takeSatisfiedWaiters())
                }
                switch action {
                case .resume: continuation.resume()
                case .cancel: continuation.resume(throwing: CancellationError())
                case .park(let waiters): for waiter in waiters { waiter.resume() }
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                if let sleeper = state.sleepers.removeValue(forKey: id) { return sleeper }
                state.cancelledIDs.insert(id)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward by `duration` and resumes every sleeper whose deadline has come.
    public func advance(by duration: Duration) {
        let target = now.adding(duration)
        advance(to: target)
    }

    /// Moves the clock to `date` (never backwards) and resumes every sleeper whose deadline has
    /// come, earliest first.
    public func advance(to date: Date) {
        let due = state.withLock { state -> [Sleeper] in
            if date > state.now { state.now = date }
            let now = state.now
            let dueIDs = state.sleepers.filter { $0.value.deadline <= now }.map(\.key)
            return dueIDs.compactMap { state.sleepers.removeValue(forKey: $0) }
                .sorted { $0.deadline < $1.deadline }
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Waits until at least `count` sleepers are parked on this clock.
    ///
    /// Use it to reach a quiescent point: after the service's loops (and any handlers sleeping on
    /// the clock) have gone to sleep, moving time has a predictable effect.
    public func waitForSleepers(_ count: Int) async {
        await waitUntil { $0.count >= count }
    }

    /// Waits until a sleeper with exactly this deadline is parked on this clock.
    public func waitForSleeper(until deadline: Date) async {
        await waitUntil { $0.contains(deadline) }
    }

    /// Waits until `condition` holds for the deadlines of the parked sleepers.
    public func waitUntil(_ condition: @escaping @Sendable ([Date]) -> Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if condition(state.sleepers.values.map(\.deadline)) { return true }
                state.waiters.append(Waiter(condition: condition, continuation: continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }
}
