import Foundation
import TaskCore

extension WorkerService {
    /// Publishes a task's new state, changed by this process, on ``changes`` (and counts it), behind
    /// the creates that were in flight (see ``PublishOrder``).
    func publish(_ task: TaskRecord) {
        metrics.recordChange(task)
        guard changes.isRecording else { return }
        publishOrder.publish { self.publishWithFollowUps(task, fromThisProcess: true) }
    }

    /// Runs a store change that makes tasks claimable (a create, a retry, a fire) and publishes the
    /// tasks it returns before any event of the pool that claimed one of them meanwhile.
    /// - Parameters:
    ///   - change: the store call.
    ///   - created: the tasks to publish from its value.
    func publishingCreated<T>(
        _ change: () async throws(TaskCoreError) -> T, _ created: (T) -> [TaskRecord]
    ) async throws(TaskCoreError) -> T {
        let ticket = publishOrder.open()
        let value: T
        do {
            value = try await change()
        } catch {
            publishOrder.close(ticket) {}
            throw error
        }
        let tasks = created(value)
        publishOrder.close(ticket) {
            for task in tasks {
                metrics.recordChange(task)
                publishWithFollowUps(task, fromThisProcess: true)
            }
        }
        return value
    }

    /// Publishes a queue's new settings on ``changes``.
    func publish(_ queue: QueueInfo) {
        changes.publish(.queue(queue))
    }

    /// Publishes a job's new state on ``changes``.
    func publish(_ job: ScheduledJob) {
        changes.publish(.job(job))
    }

    /// After a task of a job reached a final status, the job's status may have changed too
    /// (`failed` after a failure for good, `active` again after a success): publish the job as
    /// it is now, when someone listens.
    func publishJob(of task: TaskRecord) async {
        guard let jobID = task.jobId, task.status.isFinal, changes.subscriberCount > 0 else { return }
        if let job = try? await store.job(jobID) { publish(job) }
    }

    /// Applies the changes another process made to the shared store: reads each changed task or job
    /// and publishes it (only while someone listens; a burst of changes to one task is read once).
    func relayExternalChanges(_ feed: any TaskStoreChangeFeed) async {
        for await batch in feed.externalChanges() {
            guard changes.subscriberCount > 0 else { continue }
            var seen = Set<StoreChange>()
            for change in batch where seen.insert(change).inserted {
                switch change {
                case .task(let id):
                    if let task = try? await store.task(id) { publishWithFollowUps(task, fromThisProcess: false) }
                case .queue(let name):
                    if let flowStore, let queue = try? await flowStore.queue(name, now: clock.now) { publish(queue) }
                case .job(let id):
                    if let job = try? await store.job(id) { changes.publish(.job(job)) } else { changes.publish(.jobDeleted(id)) }
                case .jobDeleted(let id):
                    changes.publish(.jobDeleted(id))
                }
            }
        }
    }
}
