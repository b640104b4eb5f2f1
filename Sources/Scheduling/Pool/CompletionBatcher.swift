import Foundation
import Synchronization
import TaskCore

/// Group commit of completions for stores that can complete several tasks in one step
/// (`TaskStoreBatchCompleting`, e.g. SQLite: one transaction instead of one per task).
///
/// A slot hands its completion over and, when no flush is running, flushes itself until nothing is
/// pending; a slot that finds a flush running leaves its completion for it and moves on. So a
/// completion waits at most for one flush, and batches grow exactly when the store is the
/// bottleneck.
final class CompletionBatcher: Sendable {
    private struct State {
        var pending: [TaskCompletion] = []
        var flushing = false
    }

    /// The most completions one store call carries.
    static let maxBatch = 256

    private let state = Mutex(State())
    let store: any TaskStoreBatchCompleting

    init(store: any TaskStoreBatchCompleting) { self.store = store }

    /// Adds a completion and flushes if no other caller is flushing.
    /// - Parameter report: called with each flushed completion's outcome.
    func complete(
        _ completion: TaskCompletion, now: @Sendable () -> Date,
        report: (TaskCompletion, Result<TaskRecord, TaskCoreError>) -> Void
    ) async {
        let flushHere = state.withLock { state -> Bool in
            state.pending.append(completion)
            if state.flushing { return false }
            state.flushing = true
            return true
        }
        guard flushHere else { return }
        while true {
            let batch = state.withLock { state -> [TaskCompletion] in
                guard !state.pending.isEmpty else {
                    state.flushing = false
                    return []
                }
                let count = min(state.pending.count, Self.maxBatch)
                defer { state.pending.removeFirst(count) }
                return Array(state.pending.prefix(count))
            }
            if batch.isEmpty { return }
            do {
                let outcomes = try await store.completeTasks(batch, now: now())
                for (completion, outcome) in zip(batch, outcomes) { report(completion, outcome) }
            } catch {
                for completion in batch { report(completion, .failure(error)) }
            }
        }
    }
}
