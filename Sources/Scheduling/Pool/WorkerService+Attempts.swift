import Foundation
import TaskCore
import Synchronization

extension WorkerService {
    /// Runs one attempt of a claimed task (registered as running in `slot`) and records its
    /// outcome: completed with the result, retrying or failed with the error, or, when the handler
    /// was interrupted, discarded (cancelled, lease lost), recorded as a timeout, or released
    /// (shutdown).
    func runAttempt(_ task: TaskRecord, slot: Int) async {
        let token = task.lease?.token ?? 0
        guard let handler = handlers.withLock({ $0.byType[task.type] }) else {
            // The handler was unregistered after the claim: hand the task back.
            _ = book.withLock { $0.finish(task.id) }
            await release(task)
            return
        }
        var context = TaskContext(taskID: task.id, attempt: task.attempts, token: token, service: self, snapshot: task)
        let outcome: Result<JSONValue, any Error>
        do {
            if !task.dependsOn.isEmpty { context.dependencyResults = try await dependencyResults(of: task) }
            outcome = .success(try await handler(task, context))
        } catch {
            outcome = .failure(error)
        }
        let finished = book.withLock { book -> (interruption: Interruption?, drained: Bool) in
            let interruption = book.finish(task.id)?.interruption
            return (interruption, book.stopping && book.running.isEmpty)
        }
        var interruption = finished.interruption
        if interruption == nil, case .failure = outcome, Task.isCancelled {
            // The slot's task is cancelled only by an interruption (recorded above) or because
            // run() itself was cancelled: a handler that failed from that is released, not failed.
            interruption = .shutdown
        }
        switch interruption {
        case .cancelled?:
            if events.isActive { events.emit(.attemptFinished(task: task.id, status: .cancelled)) }
        case .leaseLost?:
            break
        case .shutdown?:
            await release(task)
            if events.isActive { events.emit(.attemptFinished(task: task.id, status: .pending)) }
        case .timedOut(let limit)?:
            await recordFailure(task, token: token, message: "timed out after \(limit.milliseconds) ms", permanent: false)
        case nil:
            switch outcome {
            case .success(let value):
                await complete(task, token: token, result: value)
            case .failure(let error):
                await recordFailure(
                    task, token: token, message: TaskFailure.message(for: error),
                    permanent: TaskFailure.isPermanent(error))
            }
        }
        if finished.drained {
            drained.signal()
            maintenanceWake.signal()
        }
    }

    private func complete(_ task: TaskRecord, token: Int64, result: JSONValue) async {
        let result: JSONValue? = result.isNull ? JSONValue?.none : .some(result)
        if let batcher {
            let clock = self.clock
            var finishedJobTasks: [TaskRecord] = []
            await batcher.complete(TaskCompletion(id: task.id, token: token, result: result), now: { clock.now }) {
                completion, outcome in
                switch outcome {
                case .success(let done):
                    publish(done)
                    if done.jobId != nil { finishedJobTasks.append(done) }
                    // The completion may have unblocked dependents (in the same store step).
                    if hasWorkflows { poolWake.signal() }
                    if events.isActive { events.emit(.attemptFinished(task: completion.id, status: done.status)) }
                case .failure(let error):
                    reportFenced(error, operation: "completeTasks(task \(completion.id))")
                }
            }
            for done in finishedJobTasks { await publishJob(of: done) }
            return
        }
        do {
            let done = try await store.completeTask(
                task.id, token: token, result: result, now: clock.now)
            publish(done)
            await publishJob(of: done)
            if hasWorkflows { poolWake.signal() }
            if events.isActive { events.emit(.attemptFinished(task: task.id, status: done.status)) }
        } catch {
            reportFenced(error, operation: "completeTask(task \(task.id))")
        }
    }

    /// Records a failed attempt: `retrying` after the back-off while attempts remain (and the error
    /// is not permanent), `failed` otherwise.
    func recordFailure(_ task: TaskRecord, token: Int64, message: String, permanent: Bool) async {
        let now = clock.now
        let retryAt: Date? =
            permanent || task.attempts >= task.maxAttempts
            ? nil : now.adding(configuration.backoff.delay(afterFailedAttempts: task.attempts))
        do {
            let failed = try await store.failTask(task.id, token: token, error: message, retryAt: retryAt, now: now)
            publish(failed)
            await publishJob(of: failed)
            if retryAt != nil || hasWorkflows { poolWake.signal() }
            if events.isActive { events.emit(.attemptFinished(task: task.id, status: failed.status)) }
        } catch {
            reportFenced(error, operation: "failTask(task \(task.id))")
        }
    }

    /// Gives a claimed task back to the queue unrun.
    func release(_ task: TaskRecord) async {
        do {
            publish(try await store.releaseTask(task.id, token: task.lease?.token ?? 0, now: clock.now))
            poolWake.signal()
        } catch {
            reportFenced(error, operation: "releaseTask(task \(task.id))")
        }
    }

    /// A fenced write (`leaseLost`: cancelled or taken over meanwhile) is expected and dropped;
    /// anything else is reported.
    private func reportFenced(_ error: TaskCoreError, operation: String) {
        if error.code != .leaseLost {
            events.emit(.storeError(operation: operation, error: error))
        }
    }
}
