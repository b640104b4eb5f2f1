import Foundation
import TaskCore
import Synchronization

extension WorkerService {
    /// How many due jobs one `fireDueJobs` call handles.
    static let cronBatchLimit = 100

    /// The cron scheduler: fires due jobs through the store (which enqueues each fire time exactly
    /// once, even with several schedulers on one store) and sleeps until the next fire time, a job
    /// change through this service, or the cron poll interval (for changes by other processes).
    ///
    /// Start-up catch-up needs nothing special: a job whose `nextRun` passed while no scheduler ran
    /// is due at the first call, and the store coalesces (`catchUp: once`) or drops it (`skip`).
    func cronLoop() async {
        while !Task.isCancelled, !book.withLock({ $0.stopping }) {
            let now = clock.now
            var deadline = now.adding(configuration.cronPollInterval)
            do {
                let firings = try await publishingCreated({ () async throws(TaskCoreError) in
                    try await store.fireDueJobs(now: now, limit: Self.cronBatchLimit, misfireGrace: configuration.misfireGrace)
                }) { firings in
                    firings.compactMap { firing in
                        if case .enqueued(let task) = firing.outcome { task } else { nil }
                    }
                }
                await report(firings)
                if firings.count >= Self.cronBatchLimit { continue }
                if let next = try await store.nextJobFireTime() { deadline = min(deadline, next) }
            } catch {
                events.emit(.storeError(operation: "fireDueJobs", error: error))
            }
            if deadline > clock.now {
                await clock.wait(until: deadline, orUntil: cronWake)
            }
        }
    }

    /// Publishes the fired jobs (their tasks are published by the fire) and counts the runs.
    private func report(_ firings: [JobFiring]) async {
        var enqueued = false
        for firing in firings {
            publish(firing.job)
            switch firing.outcome {
            case .enqueued(let task):
                metrics.recordRun(of: firing.job, scheduledFor: firing.scheduledFor, at: clock.now)
                enqueued = true
                events.emit(.jobFired(job: firing.job, scheduledFor: firing.scheduledFor, task: task.id))
            case .skippedOverlap(let previous):
                events.emit(.jobOverlapSkipped(job: firing.job, scheduledFor: firing.scheduledFor, previous: previous))
            case .skippedMissed:
                events.emit(.jobMissedSkipped(job: firing.job, scheduledFor: firing.scheduledFor))
            }
        }
        if enqueued { poolWake.signal() }
    }
}
