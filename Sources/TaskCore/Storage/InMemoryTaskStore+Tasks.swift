import Foundation

extension InMemoryStoreState {
    /// Creates a pending task, or returns the unfinished one holding `draft.uniqueKey`.
    mutating func createTask(_ draft: NewTask, now: Date) throws(TaskCoreError) -> CreatedTask {
        try draft.validate()
        if let key = draft.uniqueKey, let existing = uniqueKeys[key], !slots[slotIndex(existing)].deleted {
            return CreatedTask(task: slots[slotIndex(existing)].record, created: false)
        }
        if !draft.dependsOn.isEmpty { try checkDependencies(draft) }
        let index = insertTask(draft, now: now)
        return CreatedTask(task: slots[index].record, created: true)
    }

    /// Adds a validated task and returns its slot index.
    mutating func insertTask(_ draft: NewTask, now: Date) -> Int {
        let id = taskID(at: slots.count)
        let runAt = draft.runAt?.truncatedToMilliseconds ?? draft.delay.map { now.storeAdding($0) } ?? now
        var record = TaskRecord(
            id: TaskID(id), type: draft.type, payload: draft.payload, priority: draft.priority, status: .pending,
            attempts: 0, maxAttempts: draft.maxAttempts, uniqueKey: draft.uniqueKey, jobId: draft.jobId,
            runAt: runAt, createdAt: now, updatedAt: now, timeout: draft.timeout, queue: draft.queue,
            concurrencyKey: draft.concurrencyKey)
        record.dependsOn = draft.dependsOn
        record.onDependencyFailure = draft.onDependencyFailure
        record.batchId = draft.batchId
        let typeIndex = typeIndex(for: draft.type)
        let queueIndex = queueIndex(for: draft.queue)
        let laneIndex = laneIndex(type: typeIndex, queue: queueIndex, priority: draft.priority.rawValue)
        slots.append(Slot(record: record, typeIndex: typeIndex, laneIndex: laneIndex, queueIndex: queueIndex, log: TaskLogBuffer()))
        let index = slots.count - 1
        counts[.pending] += 1
        types[typeIndex].counts[.pending] += 1
        queues[queueIndex].counts[.pending] += 1
        if let key = draft.uniqueKey { uniqueKeys[key] = id }
        log(at: index, .info, .created(job: draft.jobId), now: now, attempt: nil)
        if draft.dependsOn.isEmpty || placeWithDependencies(at: index, now: now) { enqueue(at: index, now: now) }
        return index
    }

    /// A page of tasks, newest first.
    func listTasks(_ query: TaskQuery) throws(TaskCoreError) -> TaskPage {
        try query.validate()
        try query.validateSearch()
        let searching = query.hasSearchFilter
        var typeIndex: Int?
        if let type = query.type {
            guard let index = typeIndexByName[type] else { return TaskPage(tasks: [], total: 0) }
            typeIndex = index
        }
        let statuses = query.statuses
        // Saturating: `offset` comes from a request and may be close to `Int.max` (issue 12, C2).
        let (sum, overflow) = query.offset.addingReportingOverflow(query.limit)
        let end = overflow ? Int.max : sum
        var total = 0
        var tasks: [TaskRecord] = []
        for index in slots.indices.reversed() {
            // Field by field: binding the whole slot would copy it.
            guard !slots[index].deleted else { continue }
            if let typeIndex, slots[index].typeIndex != typeIndex { continue }
            if !statuses.isEmpty, !statuses.contains(slots[index].record.status) { continue }
            if searching, !query.matchesSearchFilters(slots[index].record) { continue }
            if total >= query.offset, total < end { tasks.append(slots[index].record) }
            total += 1
        }
        return TaskPage(tasks: tasks, total: total)
    }

    /// Counts per status and per type.
    func stats() -> TaskStats {
        var byType: [String: TaskStats.Counts] = [:]
        for queue in types where queue.counts.total > 0 { byType[queue.name] = queue.counts.publicCounts }
        return TaskStats(
            all: counts.publicCounts, byType: byType, completedDurationCount: completedDurationCount,
            completedDurationTotalMilliseconds: Double(completedDurationTotalMilliseconds))
    }

    /// The earliest `runAt` of a pending or retrying task of one of `types`.
    mutating func nextReadyTime(types names: Set<String>) -> Date? {
        var earliest: Int64?
        for name in names {
            guard let typeIndex = typeIndexByName[name] else { continue }
            for laneIndex in lanesByType[typeIndex] {
                for key in lanes[laneIndex].ready.unordered where isLive(id: key.id, generation: key.generation) {
                    earliest = Swift.min(earliest ?? key.runAt, key.runAt)
                }
                while let top = lanes[laneIndex].delayed.max, !isLive(id: top.id, generation: top.generation) {
                    _ = lanes[laneIndex].delayed.popMax()
                }
                if let top = lanes[laneIndex].delayed.max { earliest = Swift.min(earliest ?? top.runAt, top.runAt) }
            }
            for queue in queues where !queue.parkedByKey.isEmpty {
                for parked in queue.parkedByKey.values {
                    for entry in parked.unordered where lanes[entry.lane].typeIndex == typeIndex
                        && isLive(id: entry.key.id, generation: entry.key.generation)
                    {
                        earliest = Swift.min(earliest ?? entry.key.runAt, entry.key.runAt)
                    }
                }
            }
        }
        return earliest.map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }

    /// Deletes completed and cancelled tasks that finished before `cutoff`, with their logs.
    mutating func prune(completedBefore cutoff: Date) -> Int {
        var deleted = 0
        for index in slots.indices {
            let status = slots[index].record.status
            guard !slots[index].deleted, status == .completed || status == .cancelled,
                let completedAt = slots[index].record.completedAt, completedAt < cutoff
            else { continue }
            counts[status] -= 1
            types[slots[index].typeIndex].counts[status] -= 1
            queues[slots[index].queueIndex].counts[status] -= 1
            if status == .completed, let startedAt = slots[index].record.startedAt {
                completedDurationCount -= 1
                completedDurationTotalMilliseconds -= completedAt.storeMilliseconds - startedAt.storeMilliseconds
            }
            makeTombstone(at: index)
            releaseTypeIfEmpty(slots[index].typeIndex)
            deleted += 1
        }
        dropLeadingTombstones()
        return deleted
    }

    /// The first `limit` log lines of a task.
    func logs(_ id: TaskID, limit: Int) throws(TaskCoreError) -> [TaskLogEntry] {
        guard (1...1000).contains(limit) else {
            throw .invalidArgument("limit", "limit: \(limit) is out of range 1-1000")
        }
        return slots[try index(of: id)].log.entries(limit: limit)
    }

    /// Appends a handler's (with `token`) or the service's (without) line to a task's log.
    mutating func appendLog(
        _ id: TaskID, token: Int64?, level: TaskLogEntry.Level, message: String, now: Date
    ) throws(TaskCoreError) {
        let index: Int
        if let token {
            index = try heldIndex(of: id, token: token)
        } else {
            index = try self.index(of: id)
        }
        let attempt = slots[index].record.status == .processing ? slots[index].record.attempts : nil
        log(at: index, level, .message(message), now: now, attempt: attempt)
    }
}
