import Foundation

extension InMemoryStoreState {
    /// Claims up to `limit` ready tasks of `names` in dispatch order.
    mutating func claimTasks(
        types names: Set<String>, worker: WorkerID, limit: Int, leaseDuration: Duration, now: Date
    ) throws(TaskCoreError) -> [TaskRecord] {
        guard limit > 0, !names.isEmpty else { return [] }
        let nowMilliseconds = now.storeMilliseconds
        var candidates: [Int] = []
        candidates.reserveCapacity(names.count)
        for name in names {
            guard let typeIndex = typeIndexByName[name] else { continue }
            promoteDueTasks(in: typeIndex, nowMilliseconds: nowMilliseconds)
            candidates.append(typeIndex)
        }
        var claimed: [TaskRecord] = []
        claimed.reserveCapacity(Swift.min(limit, 64))
        let expiresAt = now.storeAdding(leaseDuration)
        while claimed.count < limit {
            var best: (typeIndex: Int, key: ReadyKey)?
            for typeIndex in candidates {
                guard let top = readyTop(in: typeIndex, nowMilliseconds: nowMilliseconds) else { continue }
                if let current = best, !(current.key < top) { continue }
                best = (typeIndex, top)
            }
            guard let best else { break }
            _ = types[best.typeIndex].ready.popMax()
            claimed.append(try claim(at: slotIndex(best.key.id), worker: worker, expiresAt: expiresAt, now: now))
        }
        return claimed
    }

    /// Moves the delayed tasks of a type whose `runAt` has come into its ready queue.
    mutating func promoteDueTasks(in typeIndex: Int, nowMilliseconds: Int64) {
        while let top = types[typeIndex].delayed.max, top.runAt <= nowMilliseconds {
            _ = types[typeIndex].delayed.popMax()
            guard isLive(id: top.id, generation: top.generation) else { continue }
            types[typeIndex].ready.push(
                ReadyKey(priority: top.priority, runAt: top.runAt, id: top.id, generation: top.generation))
        }
    }

    /// The best live ready entry of a type, after dropping stale ones (and moving back entries that
    /// are not due yet, which only happens when callers' clocks disagree).
    mutating func readyTop(in typeIndex: Int, nowMilliseconds: Int64) -> ReadyKey? {
        while let top = types[typeIndex].ready.max {
            if !isLive(id: top.id, generation: top.generation) {
                _ = types[typeIndex].ready.popMax()
            } else if top.runAt > nowMilliseconds {
                _ = types[typeIndex].ready.popMax()
                types[typeIndex].delayed.push(
                    DelayedKey(runAt: top.runAt, id: top.id, priority: top.priority, generation: top.generation))
            } else {
                return top
            }
        }
        return nil
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
