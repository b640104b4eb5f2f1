public import Foundation
public import TaskCore

/// Queues and flow control on SQLite (see `Docs/FLOW_CONTROL.md`).
///
/// Every claim is one `BEGIN IMMEDIATE` transaction, so it holds the database's write lock from its
/// first read: the counts of processing tasks and of recent starts that it reads cannot change
/// before it commits, in this process or another. Limits therefore hold across processes without
/// any further locking.
extension SQLiteTaskStore: TaskStoreFlowControl {
    /// The condition on `queues` rows whose queue has a limit or is paused.
    static let limitedQueueCondition =
        "paused <> 0 OR concurrency IS NOT NULL OR per_key_concurrency IS NOT NULL OR rate_limit IS NOT NULL"

    public func claimTasks(
        _ filter: ClaimFilter, worker: WorkerID, limit: Int, leaseDuration: Duration, now: Date
    ) async throws(TaskCoreError) -> [TaskRecord] {
        guard !filter.types.isEmpty, limit > 0 else { return [] }
        let now = now.truncatedToMilliseconds
        let nowMillis = millis(now)
        let expires = millis(now.storeAdding(leaseDuration))
        return try await write { (db) throws(TaskCoreError) -> [TaskRecord] in
            try self.claim(db, filter, worker: worker, limit: limit, nowMillis: nowMillis, expires: expires)
        }
    }

    /// The limited queues' settings.
    static func limitedQueues(_ db: SQLiteConnection) throws(TaskCoreError) -> [QueueSettings] {
        try db.statement(
            "SELECT name, paused, concurrency, per_key_concurrency, rate_limit, rate_period_ms, updated_at FROM queues "
                + "WHERE \(limitedQueueCondition)"
        ).rows(queueSettings)
    }

    static func queueSettings(_ row: SQLiteStatement) throws(TaskCoreError) -> QueueSettings {
        var settings = QueueSettings(name: row.string(0))
        settings.paused = row.int(1) != 0
        settings.concurrency = row.optionalInt(2)
        settings.perKeyConcurrency = row.optionalInt(3)
        if let limit = row.optionalInt(4), let period = row.optionalInt(5) {
            settings.rateLimit = RateLimit(limit: limit, periodMs: period)
        }
        settings.updatedAt = row.optionalInt64(6).map(date)
        return settings
    }

    /// A candidate row: what dispatch order and the limits need.
    struct Candidate {
        var priority: Int
        var runAt: Int64
        var id: Int64
        var queue: String
        var key: String?
        var effective: Int
    }

    /// The claim inside its transaction: the unlimited fast path when no queue is limited and the
    /// filter is plain; otherwise candidates per queue under each queue's allowance.
    func claim(
        _ db: SQLiteConnection, _ filter: ClaimFilter, worker: WorkerID, limit: Int, nowMillis: Int64, expires: Int64
    ) throws(TaskCoreError) -> [TaskRecord] {
        let limited = try Self.limitedQueues(db).filter { filter.queues?.contains($0.name) ?? true }
        if limited.isEmpty, filter.queues == nil, filter.agingMilliseconds == nil {
            let ids = try claimFast(db, types: filter.types, limit: limit, nowMillis: nowMillis)
            return try claimRows(db, ids: ids, worker: worker, nowMillis: nowMillis, expires: expires)
        }
        // The write lock is held from here on: a later clock reading stamps starts after every
        // completion this claim sees as finished.
        var nowMillis = nowMillis
        var expires = expires
        if let currentTime = filter.currentTime {
            let late = millis(currentTime().truncatedToMilliseconds)
            if late > nowMillis {
                expires += late - nowMillis
                nowMillis = late
            }
        }
        let aging = filter.agingMilliseconds
        var candidates: [Candidate] = []
        // Queues without limits: one ordered scan per type that leaves out every limited queue.
        var clauses = ["queue NOT IN (SELECT name FROM queues WHERE \(Self.limitedQueueCondition))"]
        var strings: [String] = []
        if let queues = filter.queues {
            let wanted = queues.sorted()
            clauses.append("queue IN (" + wanted.indices.map { "?\($0 + 10)" }.joined(separator: ", ") + ")")
            strings = wanted
        }
        for type in filter.types {
            candidates += try candidateRows(
                db, type: type, clauses: clauses, strings: strings, limit: limit, nowMillis: nowMillis, aging: aging)
        }
        // Limited queues: each under its allowance, skipping keys at their limit.
        var allowance: [String: Int] = [:]
        var keyCounts: [String: [String: Int]] = [:]
        var rated: [String: RateLimit] = [:]
        var perKey: [String: Int] = [:]
        for settings in limited {
            let name = settings.name
            guard !settings.paused else { continue }
            var allowed = limit
            if let concurrency = settings.concurrency {
                let running = try db.statement(
                    "SELECT count(*) FROM tasks WHERE queue = ?1 AND status = 'processing'"
                ).bind(1, name).firstRow { $0.int(0) } ?? 0
                allowed = min(allowed, concurrency - running)
            }
            if let rate = settings.rateLimit {
                let cutoff = nowMillis - Int64(rate.periodMs)
                try db.statement("DELETE FROM queue_starts WHERE queue = ?1 AND started_at <= ?2")
                    .bind(1, name).bind(2, cutoff).run()
                let started = try db.statement("SELECT count(*) FROM queue_starts WHERE queue = ?1")
                    .bind(1, name).firstRow { $0.int(0) } ?? 0
                allowed = min(allowed, rate.limit - started)
                rated[name] = rate
            }
            guard allowed > 0 else { continue }
            allowance[name] = allowed
            var queueClauses = ["queue = ?10"]
            var queueStrings = [name]
            if let keyLimit = settings.perKeyConcurrency {
                perKey[name] = keyLimit
                let counts = try db.statement(
                    "SELECT concurrency_key, count(*) FROM tasks WHERE queue = ?1 AND status = 'processing' "
                        + "AND concurrency_key IS NOT NULL GROUP BY concurrency_key"
                ).bind(1, name).rows { (row) throws(TaskCoreError) in (row.string(0), row.int(1)) }
                var byKey: [String: Int] = [:]
                for (key, count) in counts { byKey[key] = count }
                keyCounts[name] = byKey
                let saturated = byKey.filter { $0.value >= keyLimit }.keys.sorted()
                if !saturated.isEmpty {
                    queueClauses.append(
                        "(concurrency_key IS NULL OR concurrency_key NOT IN ("
                            + saturated.indices.map { "?\($0 + 11)" }.joined(separator: ", ") + "))")
                    queueStrings += saturated
                }
            }
            // A key may be picked fewer times than it has rows: read a little more than the allowance.
            let wanted = settings.perKeyConcurrency == nil ? min(limit, allowed) : limit * 2
            for type in filter.types {
                candidates += try candidateRows(
                    db, type: type, clauses: queueClauses, strings: queueStrings, limit: wanted, nowMillis: nowMillis,
                    aging: aging)
            }
        }
        candidates.sort { a, b in
            a.effective != b.effective ? a.effective > b.effective : a.runAt != b.runAt ? a.runAt < b.runAt : a.id < b.id
        }
        var ids: [Int64] = []
        var starts: [String: Int] = [:]
        for candidate in candidates where ids.count < limit {
            if let left = allowance[candidate.queue] {
                guard left > 0 else { continue }
                if let keyLimit = perKey[candidate.queue], let key = candidate.key {
                    let running = keyCounts[candidate.queue]?[key] ?? 0
                    guard running < keyLimit else { continue }
                    keyCounts[candidate.queue, default: [:]][key] = running + 1
                }
                allowance[candidate.queue] = left - 1
                if rated[candidate.queue] != nil { starts[candidate.queue, default: 0] += 1 }
            }
            ids.append(candidate.id)
        }
        let claimed = try claimRows(db, ids: ids, worker: worker, nowMillis: nowMillis, expires: expires)
        for (queue, count) in starts {
            let insert = try db.statement("INSERT INTO queue_starts (queue, started_at) VALUES (?1, ?2)")
            for _ in 0..<count {
                try insert.bind(1, queue).bind(2, nowMillis).run()
                insert.reset()
            }
        }
        return claimed.sorted { a, b in
            let ea = effective(a, nowMillis: nowMillis, aging: aging)
            let eb = effective(b, nowMillis: nowMillis, aging: aging)
            return ea != eb ? ea > eb : a.runAt != b.runAt ? a.runAt < b.runAt : a.id.rawValue < b.id.rawValue
        }
    }

    private func effective(_ task: TaskRecord, nowMillis: Int64, aging: Int64?) -> Int {
        ClaimFilter.effectivePriority(
            priority: task.priority.rawValue, runAt: millis(task.runAt), now: nowMillis, agingMilliseconds: aging)
    }

    /// Ready rows of one type matching `clauses` (whose string parameters start at `?10`), in
    /// dispatch order: one index scan, or one per priority under aging (each priority's oldest
    /// rows are the only ones aging can put first).
    func candidateRows(
        _ db: SQLiteConnection, type: String, clauses: [String], strings: [String], limit: Int, nowMillis: Int64,
        aging: Int64?
    ) throws(TaskCoreError) -> [Candidate] {
        let base =
            "SELECT priority, run_at, id, queue, concurrency_key FROM tasks WHERE type = ?1 AND status IN ('pending', 'retrying') "
            + "AND run_at <= ?2 AND " + clauses.joined(separator: " AND ")
        func read(_ sql: String, priority: Int?) throws(TaskCoreError) -> [Candidate] {
            let statement = try db.statement(sql).bind(1, type).bind(2, nowMillis).bind(3, limit)
            if let priority { statement.bind(4, priority) }
            for (offset, value) in strings.enumerated() { statement.bind(Int32(10 + offset), value) }
            return try statement.rows { (row) throws(TaskCoreError) in
                let priority = row.int(0)
                let runAt = row.int64(1)
                return Candidate(
                    priority: priority, runAt: runAt, id: row.int64(2), queue: row.string(3),
                    key: row.optionalString(4),
                    effective: ClaimFilter.effectivePriority(
                        priority: priority, runAt: runAt, now: nowMillis, agingMilliseconds: aging))
            }
        }
        guard aging != nil else {
            return try read(base + " ORDER BY priority DESC, run_at, id LIMIT ?3", priority: nil)
        }
        var rows: [Candidate] = []
        for priority in Priority.range {
            rows += try read(base + " AND priority = ?4 ORDER BY run_at, id LIMIT ?3", priority: priority)
        }
        return rows
    }
}
