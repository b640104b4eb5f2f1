import Foundation

extension InMemoryStoreState {
    /// Claims up to `limit` ready tasks of `names` in dispatch order, from every queue.
    mutating func claimTasks(
        types names: Set<String>, worker: WorkerID, limit: Int, leaseDuration: Duration, now: Date
    ) throws(TaskCoreError) -> [TaskRecord] {
        try claimTasks(ClaimFilter(types: names), worker: worker, limit: limit, leaseDuration: leaseDuration, now: now)
    }

    /// Marks a ready task processing under a new lease.
    mutating func claim(at index: Int, worker: WorkerID, expiresAt: Date, now: Date) throws(TaskCoreError) -> TaskRecord {
        try apply(.claim, at: index)
        slots[index].fence &+= 1
        slots[index].cancelledToken = nil
        slots[index].record.attempts += 1
        slots[index].record.startedAt = now
        slots[index].record.updatedAt = now
        slots[index].record.progress = nil
        slots[index].record.lease = Lease(worker: worker, token: slots[index].fence, expiresAt: expiresAt)
        let attempt = slots[index].record.attempts
        log(at: index, .info, .attemptStarted(attempt), now: now, attempt: attempt)
        return slots[index].record
    }

    /// Extends a lease, or says why it cannot be.
    mutating func renewLease(_ id: TaskID, token: Int64, until: Date) throws(TaskCoreError) -> LeaseRenewal {
        let index = try index(of: id)
        let status = slots[index].record.status
        if status == .processing, slots[index].record.lease?.token == token {
            slots[index].record.lease!.expiresAt = until
            return .renewed(until: until)
        }
        if status == .cancelled, slots[index].cancelledToken == token { return .cancelled }
        return .lost
    }

    /// Returns tasks whose lease ran out to the queue, or fails them when no attempts remain.
    mutating func recoverExpiredLeases(now: Date) throws(TaskCoreError) -> [TaskRecord] {
        let expired = processing.filter { id in
            guard let lease = slots[slotIndex(id)].record.lease else { return false }
            return lease.expiresAt < now
        }.sorted()
        guard !expired.isEmpty else { return [] }
        var recovered: [TaskRecord] = []
        for id in expired {
            let index = slotIndex(id)
            let record = slots[index].record
            let retrying = record.attempts < record.maxAttempts
            try apply(retrying ? .scheduleRetry : .fail, at: index)
            slots[index].record.lease = nil
            slots[index].record.error = LifecycleMessage.leaseExpiredError
            slots[index].record.updatedAt = now
            log(at: index, .warn, .leaseExpired(retrying: retrying), now: now, attempt: record.attempts)
            if retrying {
                slots[index].record.runAt = now
                enqueue(at: index, now: now)
            } else {
                slots[index].record.completedAt = now
                noteJobOutcome(jobId: record.jobId, succeeded: false, now: now)
                settleDependents(of: record.id, now: now)
            }
            recovered.append(slots[index].record)
        }
        return recovered
    }
}
