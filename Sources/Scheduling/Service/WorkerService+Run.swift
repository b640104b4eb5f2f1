import Foundation
public import TaskCore
import Synchronization

extension WorkerService {
    /// Runs the worker pool, the cron scheduler and the maintenance loop (lease renewal and
    /// recovery, timeouts, retention) until ``shutdown()`` is called or the calling task is
    /// cancelled.
    ///
    /// After ``shutdown()``, running handlers get ``WorkerConfiguration/shutdownGracePeriod`` to
    /// finish; then they are cancelled and their tasks released back to pending. Cancelling the
    /// task that runs this method shuts down at once (no grace period). Claimed tasks that had not
    /// started are released at once either way. A handler that ignores cancellation delays the
    /// return until it ends (its outcome is then discarded).
    /// - Throws: `invalidTransition` when the service is already running.
    public func run() async throws(TaskCoreError) {
        try lifecycle.withLock { (state: inout Lifecycle) throws(TaskCoreError) in
            guard state == .idle else {
                throw TaskCoreError(code: .invalidTransition, message: "WorkerService.run(): the service is already running")
            }
            state = .running
        }
        book.withLock { $0 = PoolBook(concurrency: configuration.concurrency) }
        // Wake-ups raised before the start (enqueues, registrations) are moot: every loop begins by
        // looking at the store.
        for signal in [poolWake, cronWake, maintenanceWake, drained] { signal.reset() }
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                for slot in 0..<configuration.concurrency {
                    group.addTask { await self.superviseSlot(slot) }
                }
                group.addTask { await self.maintenanceLoop() }
                if configuration.runsScheduler {
                    group.addTask { await self.cronLoop() }
                }
                if let notifying = store as? any TaskStoreNotifying {
                    group.addTask {
                        for await _ in notifying.readyNotifications() { self.poolWake.signal() }
                    }
                }
                if let feed = store as? any TaskStoreChangeFeed {
                    group.addTask { await self.relayExternalChanges(feed) }
                }
                await coordinateShutdown()
                group.cancelAll()
            }
        } onCancel: {
            self.shutdown()
        }
        lifecycle.withLock { $0 = .idle }
    }

    /// Waits for the stop request, then stops claiming, releases claimed tasks that had not
    /// started, lets running handlers finish within the grace period and interrupts the rest.
    private func coordinateShutdown() async {
        await stopWake.wait()
        lifecycle.withLock { $0 = .stopping }
        let (buffered, parked, drainedAlready) = book.withLock { book in
            book.stopping = true
            let parked = book.parked.map(\.continuation)
            book.parked.removeAll()
            return (book.drainBuffer(), parked, book.running.isEmpty)
        }
        for continuation in parked { continuation.resume(returning: .stop) }
        poolWake.signal()
        cronWake.signal()
        maintenanceWake.signal()
        for task in buffered { await release(task) }
        if !drainedAlready {
            let deadline = clock.now.adding(configuration.shutdownGracePeriod)
            while !Task.isCancelled, clock.now < deadline, !book.withLock({ $0.running.isEmpty }) {
                await clock.wait(until: deadline, orUntil: drained)
            }
        }
        let interrupted = updateBook { book -> [TaskID] in
            let ids = book.running.ids
            return ids.filter { book.interrupt($0, .shutdown) != nil }
        }
        for id in interrupted { events.emit(.handlerInterrupted(task: id, reason: Interruption.shutdown.description)) }
        maintenanceWake.signal()
    }
}
