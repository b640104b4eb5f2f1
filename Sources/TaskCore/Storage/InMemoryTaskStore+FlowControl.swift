import Foundation

extension InMemoryStoreState {
    /// The key of a lane: one type, one queue, one priority.
    struct LaneKey: Hashable {
        var typeIndex: Int
        var queueIndex: Int
        var priority: Int
    }

    /// A ready task held back by its `concurrencyKey`, with the lane it goes back to.
    struct ParkedKey: Comparable {
        var key: ReadyKey
        var lane: Int
        static func < (a: ParkedKey, b: ParkedKey) -> Bool { a.key < b.key }
        static func == (a: ParkedKey, b: ParkedKey) -> Bool { a.key.id == b.key.id && a.key.generation == b.key.generation }
    }

    /// One queue: its settings, counts and the bookkeeping its limits need.
    struct QueueState {
        var settings: QueueSettings
        var counts = StatusCounts()
        /// Whether the queue was configured or holds tasks (what `listQueues` shows).
        var hasSettings = false
        /// Processing tasks per non-nil `concurrencyKey`.
        var processingByKey: [String: Int] = [:]
        /// Ready tasks held back by `perKeyConcurrency`, per key, in dispatch order.
        var parkedByKey: [String: PriorityQueue<ParkedKey>] = [:]
        /// Start times (ms) of attempts within the rate window, oldest first from ``startsHead``;
        /// kept only while a rate limit is set.
        var starts: [Int64] = []
        var startsHead = 0

        init(name: String) { settings = QueueSettings(name: name) }

        /// Starts recorded inside the window ending at `now`, after dropping older ones.
        mutating func startsInWindow(now: Int64, periodMs: Int) -> Int {
            let cutoff = now &- Int64(periodMs)
            while startsHead < starts.count, starts[startsHead] <= cutoff { startsHead += 1 }
            if startsHead > 1024, startsHead * 2 > starts.count {
                starts.removeFirst(startsHead)
                startsHead = 0
            }
            return starts.count - startsHead
        }

        /// How many more attempts may start now under the pause, `concurrency` and `rateLimit`
        /// (not the per-key limit), or `Int.max` without limits.
        mutating func allowance(now: Int64) -> Int {
            if settings.paused { return 0 }
            var allowed = Int.max
            if let concurrency = settings.concurrency {
                allowed = Swift.max(0, concurrency - counts[.processing])
            }
            if let rate = settings.rateLimit {
                allowed = Swift.min(allowed, Swift.max(0, rate.limit - startsInWindow(now: now, periodMs: rate.periodMs)))
            }
            return allowed
        }

        /// When the rate window next admits a start, if the rate limit is what holds the queue back.
        mutating func rateOpening(now: Int64) -> Int64? {
            guard !settings.paused, let rate = settings.rateLimit else { return nil }
            if let concurrency = settings.concurrency, counts[.processing] >= concurrency { return nil }
            let inWindow = startsInWindow(now: now, periodMs: rate.periodMs)
            guard inWindow >= rate.limit else { return nil }
            // The window admits one more once the (inWindow - limit + 1)-th oldest start leaves it.
            return starts[startsHead + inWindow - rate.limit] &+ Int64(rate.periodMs)
        }
    }

    /// The index of a queue, created on first use.
    mutating func queueIndex(for name: String) -> Int {
        if let index = queueIndexByName[name] { return index }
        queues.append(QueueState(name: name))
        queueIndexByName[name] = queues.count - 1
        return queues.count - 1
    }

    /// The index of a lane, created on first use.
    mutating func laneIndex(type typeIndex: Int, queue queueIndex: Int, priority: Int) -> Int {
        let key = LaneKey(typeIndex: typeIndex, queueIndex: queueIndex, priority: priority)
        if let index = laneIndexByKey[key] { return index }
        lanes.append(Lane(typeIndex: typeIndex, queueIndex: queueIndex, priority: priority))
        let index = lanes.count - 1
        laneIndexByKey[key] = index
        lanesByType[typeIndex].append(index)
        return index
    }

    /// A task with `key` stopped processing: count it, and give parked tasks of the key back to
    /// their lanes as far as the per-key limit now allows.
    mutating func keyStopped(_ key: String, inQueue queueIndex: Int) {
        let remaining = (queues[queueIndex].processingByKey[key] ?? 1) - 1
        queues[queueIndex].processingByKey[key] = remaining > 0 ? remaining : nil
        guard queues[queueIndex].parkedByKey[key] != nil else { return }
        let free = (queues[queueIndex].settings.perKeyConcurrency ?? Int.max) - Swift.max(0, remaining)
        unpark(key: key, inQueue: queueIndex, count: free)
    }

    /// Moves up to `count` live parked tasks of `key` back into their lanes.
    mutating func unpark(key: String, inQueue queueIndex: Int, count: Int) {
        guard var parked = queues[queueIndex].parkedByKey.removeValue(forKey: key) else { return }
        var moved = 0
        while moved < count, let top = parked.popMax() {
            guard isLive(id: top.key.id, generation: top.key.generation) else { continue }
            lanes[top.lane].ready.push(top.key)
            moved += 1
        }
        if !parked.isEmpty { queues[queueIndex].parkedByKey[key] = parked }
    }

    /// Claims up to `limit` ready tasks that `filter` admits and no limit holds back, in dispatch
    /// order (by effective priority under aging).
    mutating func claimTasks(
        _ filter: ClaimFilter, worker: WorkerID, limit: Int, leaseDuration: Duration, now: Date
    ) throws(TaskCoreError) -> [TaskRecord] {
        guard limit > 0, !filter.types.isEmpty else { return [] }
        let nowMilliseconds = now.storeMilliseconds
        let aging = filter.agingMilliseconds
        var candidates: [Int] = []
        for name in filter.types {
            guard let typeIndex = typeIndexByName[name] else { continue }
            for laneIndex in lanesByType[typeIndex] {
                if let wanted = filter.queues, !wanted.contains(queues[lanes[laneIndex].queueIndex].settings.name) {
                    continue
                }
                promoteDueTasks(inLane: laneIndex, nowMilliseconds: nowMilliseconds)
                candidates.append(laneIndex)
            }
        }
        var claimed: [TaskRecord] = []
        claimed.reserveCapacity(Swift.min(limit, 64))
        let expiresAt = now.storeAdding(leaseDuration)
        while claimed.count < limit {
            var best: (lane: Int, key: ReadyKey, effective: Int)?
            for laneIndex in candidates {
                let queueIndex = lanes[laneIndex].queueIndex
                if queues[queueIndex].settings.isLimited, queues[queueIndex].allowance(now: nowMilliseconds) == 0 {
                    continue
                }
                guard let top = eligibleTop(inLane: laneIndex, nowMilliseconds: nowMilliseconds) else { continue }
                let effective = ClaimFilter.effectivePriority(
                    priority: top.priority, runAt: top.runAt, now: nowMilliseconds, agingMilliseconds: aging)
                if let current = best {
                    if current.effective > effective { continue }
                    if current.effective == effective, !(current.key < top) { continue }
                }
                best = (laneIndex, top, effective)
            }
            guard let best else { break }
            _ = lanes[best.lane].ready.popMax()
            let index = slotIndex(best.key.id)
            claimed.append(try claim(at: index, worker: worker, expiresAt: expiresAt, now: now))
            let queueIndex = lanes[best.lane].queueIndex
            if queues[queueIndex].settings.rateLimit != nil { queues[queueIndex].starts.append(nowMilliseconds) }
        }
        return claimed
    }

    /// The lane's best ready task whose key is not at its limit; tasks of saturated keys are parked.
    mutating func eligibleTop(inLane laneIndex: Int, nowMilliseconds: Int64) -> ReadyKey? {
        let queueIndex = lanes[laneIndex].queueIndex
        while let top = readyTop(inLane: laneIndex, nowMilliseconds: nowMilliseconds) {
            guard let perKey = queues[queueIndex].settings.perKeyConcurrency,
                let key = slots[slotIndex(top.id)].record.concurrencyKey,
                (queues[queueIndex].processingByKey[key] ?? 0) >= perKey
            else { return top }
            _ = lanes[laneIndex].ready.popMax()
            queues[queueIndex].parkedByKey[key, default: PriorityQueue()].push(ParkedKey(key: top, lane: laneIndex))
        }
        return nil
    }

    /// Moves the delayed tasks of a lane whose `runAt` has come into its ready queue.
    mutating func promoteDueTasks(inLane laneIndex: Int, nowMilliseconds: Int64) {
        while let top = lanes[laneIndex].delayed.max, top.runAt <= nowMilliseconds {
            _ = lanes[laneIndex].delayed.popMax()
            guard isLive(id: top.id, generation: top.generation) else { continue }
            lanes[laneIndex].ready.push(
                ReadyKey(priority: top.priority, runAt: top.runAt, id: top.id, generation: top.generation))
        }
    }

    /// The best live ready entry of a lane, after dropping stale ones (and moving back entries that
    /// are not due yet, which only happens when callers' clocks disagree).
    mutating func readyTop(inLane laneIndex: Int, nowMilliseconds: Int64) -> ReadyKey? {
        while let top = lanes[laneIndex].ready.max {
            if !isLive(id: top.id, generation: top.generation) {
                _ = lanes[laneIndex].ready.popMax()
            } else if top.runAt > nowMilliseconds {
                _ = lanes[laneIndex].ready.popMax()
                lanes[laneIndex].delayed.push(
                    DelayedKey(runAt: top.runAt, id: top.id, priority: top.priority, generation: top.generation))
            } else {
                return top
            }
        }
        return nil
    }

    // MARK: Settings and views

    /// The public view of queue `index` at `now`.
    func queueInfo(_ index: Int, now: Date) -> QueueInfo {
        let nowMilliseconds = now.storeMilliseconds
        var oldest: Int64?
        for slot in slots.indices where slots[slot].queueIndex == index && !slots[slot].deleted
            && slots[slot].record.status.isClaimable
        {
            let runAt = slots[slot].record.runAt.storeMilliseconds
            if runAt <= nowMilliseconds { oldest = Swift.min(oldest ?? runAt, runAt) }
        }
        return QueueInfo(
            settings: queues[index].settings, counts: queues[index].counts.publicCounts,
            oldestReadyAt: oldest.map { Date(timeIntervalSince1970: Double($0) / 1000) })
    }

    /// The queue `name` (with defaults when unknown).
    func queue(_ name: String, now: Date) throws(TaskCoreError) -> QueueInfo {
        try QueueName.validate(name, field: "name")
        guard let index = queueIndexByName[name] else { return QueueInfo(settings: QueueSettings(name: name)) }
        return queueInfo(index, now: now)
    }

    /// Every queue with a task or a setting, by name.
    func listQueues(now: Date) -> [QueueInfo] {
        queues.indices.filter { queues[$0].hasSettings || queues[$0].counts.total > 0 }
            .sorted { Array(queues[$0].settings.name.utf8).lexicographicallyPrecedes(queues[$1].settings.name.utf8) }
            .map { queueInfo($0, now: now) }
    }

    /// Applies a settings change.
    mutating func updateQueue(_ name: String, _ update: QueueUpdate, now: Date) throws(TaskCoreError) -> QueueInfo {
        try QueueName.validate(name, field: "name")
        try update.validate()
        let index = queueIndex(for: name)
        let old = queues[index].settings
        queues[index].settings = update.applied(to: old, now: now)
        queues[index].hasSettings = true
        if queues[index].settings.rateLimit == nil {
            queues[index].starts = []
            queues[index].startsHead = 0
        }
        // A higher or cleared per-key limit frees parked tasks; give them all back to their lanes
        // (a claim parks again whatever is still held back).
        if old.perKeyConcurrency != queues[index].settings.perKeyConcurrency {
            for key in Array(queues[index].parkedByKey.keys) { unpark(key: key, inQueue: index, count: Int.max) }
        }
        return queueInfo(index, now: now)
    }

    /// The next time a task `filter` admits may become claimable: a `runAt` or a rate window opening.
    mutating func nextEligibleTime(_ filter: ClaimFilter, now: Date) -> Date? {
        let nowMilliseconds = now.storeMilliseconds
        var earliest: Int64?
        var rateChecked = Set<Int>()
        for name in filter.types {
            guard let typeIndex = typeIndexByName[name] else { continue }
            for laneIndex in lanesByType[typeIndex] {
                let queueIndex = lanes[laneIndex].queueIndex
                if let wanted = filter.queues, !wanted.contains(queues[queueIndex].settings.name) { continue }
                while let top = lanes[laneIndex].delayed.max, !isLive(id: top.id, generation: top.generation) {
                    _ = lanes[laneIndex].delayed.popMax()
                }
                if queues[queueIndex].settings.paused { continue }
                if let top = lanes[laneIndex].delayed.max { earliest = Swift.min(earliest ?? top.runAt, top.runAt) }
                if rateChecked.insert(queueIndex).inserted, readyTop(inLane: laneIndex, nowMilliseconds: nowMilliseconds) != nil
                    || queues[queueIndex].counts[.pending] + queues[queueIndex].counts[.retrying] > 0,
                    let opening = queues[queueIndex].rateOpening(now: nowMilliseconds)
                {
                    earliest = Swift.min(earliest ?? opening, opening)
                }
            }
        }
        return earliest.map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }
}
