import Foundation

extension InMemoryStoreState {
    /// Completes a processing task held under `token`.
    mutating func completeTask(_ id: TaskID, token: Int64, result: JSONValue?, now: Date) throws(TaskCoreError) -> TaskRecord {
        let index = try heldIndex(of: id, token: token)
        try apply(.complete, at: index)
        let startedAt = slots[index].record.startedAt
        let milliseconds = startedAt.map { now.storeMilliseconds - $0.storeMilliseconds } ?? 0
        // A JSON null result is stored as no result (both encode as `"result": null`).
        slots[index].record.result = result == .null ? nil : result
        slots[index].record.completedAt = now
        slots[index].record.updatedAt = now
        slots[index].record.lease = nil
        if startedAt != nil {
            completedDurationCount += 1
            completedDurationTotalMilliseconds += milliseconds
        }
        let attempt = slots[index].record.attempts
        log(at: index, .info, .completed(milliseconds: milliseconds), now: now, attempt: attempt)
        if let jobId = slots[index].record.jobId { noteJobOutcome(jobId: jobId, succeeded: true, now: now) }
        settleDependents(of: id, now: now)
        return slots[index].record
    }

    /// Records a failed attempt: a retry at `retryAt`, or a final failure without it.
    mutating func failTask(
        _ id: TaskID, token: Int64, error: String, retryAt: Date?, now: Date
    ) throws(TaskCoreError) -> TaskRecord {
        let index = try heldIndex(of: id, token: token)
        try apply(retryAt == nil ? .fail : .scheduleRetry, at: index)
        let attempt = slots[index].record.attempts
        slots[index].record.error = error
        slots[index].record.updatedAt = now
        slots[index].record.lease = nil
        log(at: index, .error, .attemptFailed(attempt, error: error), now: now, attempt: attempt)
        if let retryAt {
            slots[index].record.runAt = retryAt
            log(at: index, .warn, .retryScheduled(retryAt), now: now, attempt: attempt)
            enqueue(at: index, now: now)
        } else {
            slots[index].record.completedAt = now
            noteJobOutcome(jobId: slots[index].record.jobId, succeeded: false, now: now)
            settleDependents(of: id, now: now)
        }
        return slots[index].record
    }

    /// Cancels a pending, retrying or processing task.
    mutating func cancelTask(_ id: TaskID, now: Date) throws(TaskCoreError) -> TaskRecord {
        let index = try index(of: id)
        let record = slots[index].record
        try apply(.cancel, at: index)
        if record.status == .blocked { forgetBlocking(at: index) }
        if record.status == .processing { slots[index].cancelledToken = record.lease?.token }
        slots[index].record.lease = nil
        slots[index].record.completedAt = now
        slots[index].record.updatedAt = now
        log(at: index, .warn, .cancelled, now: now, attempt: record.status == .processing ? record.attempts : nil)
        settleDependents(of: id, now: now)
        return slots[index].record
    }

    /// Gives a processing task back to the queue unrun.
    mutating func releaseTask(_ id: TaskID, token: Int64, now: Date) throws(TaskCoreError) -> TaskRecord {
        let index = try heldIndex(of: id, token: token)
        try apply(.release, at: index)
        let attempt = slots[index].record.attempts
        slots[index].record.attempts = Swift.max(0, attempt - 1)
        if attempt <= 1 { slots[index].record.startedAt = nil }
        slots[index].record.progress = nil
        slots[index].record.lease = nil
        slots[index].record.updatedAt = now
        log(at: index, .info, .released(attempt), now: now, attempt: attempt)
        enqueue(at: index, now: now)
        return slots[index].record
    }

    /// Runs a failed or cancelled task again.
    mutating func retryTask(_ id: TaskID, resetAttempts: Bool, now: Date) throws(TaskCoreError) -> TaskRecord {
        let index = try index(of: id)
        if try retryWithDependencies(at: index, resetAttempts: resetAttempts, now: now) {
            reopenDependents(of: id)
            return slots[index].record
        }
        try apply(.manualRetry, at: index)
        if resetAttempts {
            slots[index].record.attempts = 0
        } else {
            slots[index].record.maxAttempts = slots[index].record.attempts + 1
        }
        slots[index].record.runAt = now
        slots[index].record.error = nil
        slots[index].record.result = nil
        slots[index].record.progress = nil
        slots[index].record.completedAt = nil
        slots[index].record.updatedAt = now
        slots[index].cancelledToken = nil
        log(at: index, .info, .manualRetry(resetAttempts: resetAttempts), now: now, attempt: nil)
        enqueue(at: index, now: now)
        reopenDependents(of: id)
        return slots[index].record
    }

    /// Records the progress of a processing task held under `token`.
    mutating func reportProgress(_ id: TaskID, token: Int64, progress: Int, now: Date) throws(TaskCoreError) {
        guard (0...100).contains(progress) else {
            throw .invalidArgument("progress", "progress: \(progress) is out of range 0-100")
        }
        let index = try heldIndex(of: id, token: token)
        slots[index].record.progress = progress
        slots[index].record.updatedAt = now
    }
}
