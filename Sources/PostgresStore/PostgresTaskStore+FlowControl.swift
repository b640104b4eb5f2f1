public import Foundation
public import TaskCore

/// Queues and flow control on PostgreSQL (the design and its correctness argument are in
/// `Docs/FLOW_CONTROL.md`).
///
/// A claim that may take tasks of a limited queue runs as one transaction that first locks the
/// `worker_queues` rows of those queues (`FOR UPDATE`, in name order, so claimers never deadlock).
/// Every claim that can raise a queue's processing count or its rate window holds that lock, so
/// they are serialized per queue, and each one counts processing tasks and recent starts with a
/// statement that runs after it got the lock: under READ COMMITTED that statement sees every claim
/// committed before. Changes that lower the counts (completion, failure, release, recovery) need
/// no lock. Queues without limits never take the lock: their claims stay one statement.
extension PostgresTaskStore: TaskStoreFlowControl {
    static let limitedCondition =
        "paused OR concurrency IS NOT NULL OR per_key_concurrency IS NOT NULL OR rate_limit IS NOT NULL"
    static let settingsColumns = "name, paused, concurrency, per_key_concurrency, rate_limit, rate_period_ms, updated_at"

    public func claimTasks(
        _ filter: ClaimFilter, worker: WorkerID, limit: Int, leaseDuration: Duration, now: Date
    ) async throws(TaskCoreError) -> [TaskRecord] {
        guard !filter.types.isEmpty, limit > 0 else { return [] }
        let limitedRows = try await query("SELECT name FROM worker_queues WHERE \(Self.limitedCondition)")
        let limitedNames = (0..<limitedRows.count).map { limitedRows[$0].string("name") ?? "" }
        if limitedNames.isEmpty, filter.queues == nil, filter.agingMilliseconds == nil {
            return try await claimFast(
                types: filter.types, worker: worker, limit: limit, leaseDuration: leaseDuration, now: now)
        }
        let now = now.truncatedToMilliseconds
        let nowMillis = PGTime.milliseconds(now)
        let expires = now.addingTimeInterval(Double(leaseDuration.wholeMilliseconds) / 1000)
        let limits = logLimits
        let claimed = try await transaction(durable: false) { connection throws(TaskCoreError) in
            try Self.claimLimited(
                connection, filter, limitedNames: limitedNames, worker: worker, limit: limit, nowMillis: nowMillis,
                now: now, expires: expires)
        }
        if claimed.count > 0 { try await trimLogsIfNeeded(claimed, now: now, limits: limits) }
        let aging = filter.agingMilliseconds
        return claimed.taskRecords().sorted { a, b in
            let ea = ClaimFilter.effectivePriority(
                priority: a.priority.rawValue, runAt: PGTime.milliseconds(a.runAt), now: nowMillis, agingMilliseconds: aging)
            let eb = ClaimFilter.effectivePriority(
                priority: b.priority.rawValue, runAt: PGTime.milliseconds(b.runAt), now: nowMillis, agingMilliseconds: aging)
            return ea != eb ? ea > eb : dispatchOrder(a, b)
        }
    }

    struct Candidate {
        var id: Int64
        var runAt: Int64
        var queue: String
        var key: String?
        var effective: Int
    }

    /// The body of a limited claim, inside its transaction.
    static func claimLimited(
        _ connection: PGConnection, _ filter: ClaimFilter, limitedNames: [String], worker: WorkerID, limit: Int,
        nowMillis: Int64, now: Date, expires: Date
    ) throws(TaskCoreError) -> PGRows {
        let aging = filter.agingMilliseconds
        let admitted = limitedNames.filter { filter.queues?.contains($0) ?? true }.sorted()
        // Lock the limited queues this claim may take from, in name order; read their settings under the lock.
        let locked = try connection.execute(
            "SELECT \(settingsColumns) FROM worker_queues WHERE name = ANY($1::text[]) ORDER BY name FOR UPDATE",
            [.stringArray(admitted)])
        var candidates: [Candidate] = []
        let types: PGParameter = .stringArray(filter.types)
        let queueFilter: PGParameter = filter.queues.map { .stringArray($0) } ?? .null
        // Queues without limits (as read before the lock: a queue limited since is left out too).
        candidates += try candidateRows(
            connection,
            where: "queue <> ALL($4::text[]) AND ($5::text[] IS NULL OR queue = ANY($5::text[]))",
            parameters: [types, .int64(nowMillis), .int(limit), .stringArray(limitedNames), queueFilter],
            nowMillis: nowMillis, aging: aging)
        var allowance: [String: Int] = [:]
        var perKey: [String: Int] = [:]
        var keyCounts: [String: [String: Int]] = [:]
        var rated: Set<String> = []
        for index in 0..<locked.count {
            let row = locked[index]
            let name = row.string("name") ?? ""
            guard !row.bool("paused") else { continue }
            var allowed = limit
            if let concurrency = row.int("concurrency") {
                let running = try connection.execute(
                    "SELECT count(*) AS n FROM worker_tasks WHERE queue = $1 AND status = 'processing'", [.string(name)])
                allowed = min(allowed, concurrency - (running[0].int("n") ?? 0))
            }
            if let rate = row.int("rate_limit"), let period = row.int("rate_period_ms") {
                let cutoff = nowMillis - Int64(period)
                try connection.execute(
                    "DELETE FROM worker_queue_starts WHERE queue = $1 AND started_at <= $2::bigint",
                    [.string(name), .int64(cutoff)])
                let started = try connection.execute(
                    "SELECT count(*) AS n FROM worker_queue_starts WHERE queue = $1", [.string(name)])
                allowed = min(allowed, rate - (started[0].int("n") ?? 0))
                rated.insert(name)
            }
            guard allowed > 0 else { continue }
            allowance[name] = allowed
            var saturated: [String] = []
            if let keyLimit = row.int("per_key_concurrency") {
                perKey[name] = keyLimit
                let counts = try connection.execute(
                    """
                    SELECT concurrency_key, count(*) AS n FROM worker_tasks
                    WHERE queue = $1 AND status = 'processing' AND concurrency_key IS NOT NULL GROUP BY concurrency_key
                    """, [.string(name)])
                var byKey: [String: Int] = [:]
                for position in 0..<counts.count {
                    byKey[counts[position].string("concurrency_key") ?? ""] = counts[position].int("n") ?? 0
                }
                keyCounts[name] = byKey
                saturated = byKey.filter { $0.value >= keyLimit }.keys.sorted()
            }
            let wanted = row.int("per_key_concurrency") == nil ? min(limit, allowed) : limit * 2
            candidates += try candidateRows(
                connection,
                where: "queue = $4 AND (concurrency_key IS NULL OR concurrency_key <> ALL($5::text[]))",
                parameters: [types, .int64(nowMillis), .int(wanted), .string(name), .stringArray(saturated)],
                nowMillis: nowMillis, aging: aging)
        }
        candidates.sort { a, b in
            a.effective != b.effective ? a.effective > b.effective : a.runAt != b.runAt ? a.runAt < b.runAt : a.id < b.id
        }
        var ids: [String] = []
        var takesFromLimitedQueue = false
        for candidate in candidates where ids.count < limit {
            if let left = allowance[candidate.queue] {
                guard left > 0 else { continue }
                takesFromLimitedQueue = true
                if let keyLimit = perKey[candidate.queue], let key = candidate.key {
                    let running = keyCounts[candidate.queue]?[key] ?? 0
                    guard running < keyLimit else { continue }
                    keyCounts[candidate.queue, default: [:]][key] = running + 1
                }
                allowance[candidate.queue] = left - 1
            }
            ids.append(String(candidate.id))
        }
        guard !ids.isEmpty else { return try connection.execute("SELECT \(taskColumns) FROM worker_tasks WHERE false") }
        // A claim that counts toward a queue's limits commits durably even when worker commits do
        // not: lost in a server crash, it would leave its attempts running uncounted, and the next
        // claim would exceed the limit (or the rate window).
        if takesFromLimitedQueue { try connection.executeSimple("SET LOCAL synchronous_commit TO on") }
        // The queue locks are held and every count was read: a clock reading now stamps these
        // starts after every completion the counts saw as finished.
        var startMillis = nowMillis
        var expires = expires
        if let currentTime = filter.currentTime {
            let lateMillis = PGTime.milliseconds(currentTime().truncatedToMilliseconds)
            if lateMillis > startMillis {
                expires = expires.addingTimeInterval(Double(lateMillis - startMillis) / 1000)
                startMillis = lateMillis
            }
        }
        let claimed = try connection.execute(
            """
            WITH claimed AS (
                UPDATE worker_tasks AS t SET status = 'processing', attempts = t.attempts + 1,
                    started_at = $2::bigint, updated_at = $2::bigint, progress = NULL, lease_worker = $3,
                    lease_token = \(nextLeaseToken), lease_expires = $4::bigint,
                    log_count = t.log_count + 1,
                    log_bytes = t.log_bytes + octet_length('attempt ' || (t.attempts + 1) || ' started')
                WHERE t.id = ANY($1::bigint[]) AND t.status IN ('pending', 'retrying')
                RETURNING t.*
            ), logged AS (
                INSERT INTO worker_task_logs (task_id, ts, level, message, attempt)
                SELECT id, $2::bigint, 'info', 'attempt ' || attempts || ' started', attempts FROM claimed
            ), started AS (
                INSERT INTO worker_queue_starts (queue, started_at)
                SELECT queue, $2::bigint FROM claimed WHERE queue = ANY($5::text[])
            )
            SELECT \(taskColumns), log_count, log_bytes, log_dropped FROM claimed
            """,
            [.array(ids), .int64(startMillis), .string(worker.rawValue), .time(expires), .stringArray(rated)])
        return claimed
    }

    /// Ready rows of the given types matching `where` (parameters $4, $5), in dispatch order:
    /// one ordered scan, or one per priority under aging.
    static func candidateRows(
        _ connection: PGConnection, where clause: String, parameters: [PGParameter], nowMillis: Int64, aging: Int64?
    ) throws(TaskCoreError) -> [Candidate] {
        let base = """
            SELECT id, priority, run_at, queue, concurrency_key FROM worker_tasks
            WHERE status IN ('pending', 'retrying') AND type = ANY($1::text[]) AND run_at <= $2::bigint AND \(clause)
            """
        var rows: [PGRows] = []
        if aging == nil {
            rows.append(try connection.execute(base + " ORDER BY priority DESC, run_at, id LIMIT $3::integer", parameters))
        } else {
            for priority in Priority.range {
                rows.append(
                    try connection.execute(
                        base + " AND priority = $6::integer ORDER BY run_at, id LIMIT $3::integer",
                        parameters + [.int(priority)]))
            }
        }
        var candidates: [Candidate] = []
        for result in rows {
            for index in 0..<result.count {
                let row = result[index]
                let runAt = row.int64("run_at") ?? 0
                candidates.append(
                    Candidate(
                        id: row.int64("id") ?? 0, runAt: runAt, queue: row.string("queue") ?? "",
                        key: row.string("concurrency_key"),
                        effective: ClaimFilter.effectivePriority(
                            priority: row.int("priority") ?? 5, runAt: runAt, now: nowMillis, agingMilliseconds: aging)))
            }
        }
        return candidates
    }
}
