public import Foundation
public import TaskCore

/// Queue settings and views on PostgreSQL.
extension PostgresTaskStore {
    public func queue(_ name: String, now: Date) async throws(TaskCoreError) -> QueueInfo {
        try QueueName.validate(name, field: "name")
        let nowMillis = PGTime.milliseconds(now.truncatedToMilliseconds)
        return try await transaction(durable: false) { connection throws(TaskCoreError) in
            try Self.queueInfo(connection, name, nowMillis: nowMillis)
        }
    }

    public func listQueues(now: Date) async throws(TaskCoreError) -> [QueueInfo] {
        let nowMillis = PGTime.milliseconds(now.truncatedToMilliseconds)
        return try await transaction(durable: false) { connection throws(TaskCoreError) in
            let rows = try connection.execute(
                "SELECT name FROM worker_queues UNION SELECT DISTINCT queue AS name FROM worker_tasks")
            let names = (0..<rows.count).map { rows[$0].string("name") ?? "" }
                .sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
            var queues: [QueueInfo] = []
            for name in names { queues.append(try Self.queueInfo(connection, name, nowMillis: nowMillis)) }
            return queues
        }
    }

    public func updateQueue(_ name: String, _ update: QueueUpdate, now: Date) async throws(TaskCoreError) -> QueueInfo {
        try QueueName.validate(name, field: "name")
        try update.validate()
        let now = now.truncatedToMilliseconds
        let nowMillis = PGTime.milliseconds(now)
        return try await transaction { connection throws(TaskCoreError) in
            try connection.execute(
                "INSERT INTO worker_queues (name) VALUES ($1) ON CONFLICT (name) DO NOTHING", [.string(name)])
            let current = try connection.execute(
                "SELECT \(Self.settingsColumns) FROM worker_queues WHERE name = $1 FOR UPDATE", [.string(name)])
            let changed = update.applied(to: Self.settings(current[0]), now: now)
            try connection.execute(
                """
                UPDATE worker_queues SET paused = $2::boolean, concurrency = $3::integer, per_key_concurrency = $4::integer,
                    rate_limit = $5::integer, rate_period_ms = $6::integer, updated_at = $7::bigint
                WHERE name = $1
                """,
                [
                    .string(name), .bool(changed.paused), .int(changed.concurrency), .int(changed.perKeyConcurrency),
                    .int(changed.rateLimit?.limit), .int(changed.rateLimit?.periodMs), .int64(nowMillis),
                ])
            if changed.rateLimit == nil {
                try connection.execute("DELETE FROM worker_queue_starts WHERE queue = $1", [.string(name)])
            }
            // Workers elsewhere look again: a resume or a raised limit may make tasks claimable.
            try connection.execute("SELECT pg_notify($1, '')", [.string(Self.channel)])
            return try Self.queueInfo(connection, name, nowMillis: nowMillis)
        }
    }

    public func nextEligibleTime(_ filter: ClaimFilter, now: Date) async throws(TaskCoreError) -> Date? {
        let nowMillis = PGTime.milliseconds(now.truncatedToMilliseconds)
        return try await transaction(durable: false) { connection throws(TaskCoreError) in
            let queueFilter: PGParameter = filter.queues.map { .stringArray($0) } ?? .null
            let next = try connection.execute(
                """
                SELECT min(run_at) AS t FROM worker_tasks
                WHERE status IN ('pending', 'retrying') AND type = ANY($1::text[]) AND run_at > $2::bigint
                    AND ($3::text[] IS NULL OR queue = ANY($3::text[]))
                    AND queue NOT IN (SELECT name FROM worker_queues WHERE paused)
                """, [.stringArray(filter.types), .int64(nowMillis), queueFilter])
            var earliest = next[0].int64("t")
            let rated = try connection.execute(
                """
                SELECT name, rate_limit, rate_period_ms FROM worker_queues
                WHERE NOT paused AND rate_limit IS NOT NULL AND ($1::text[] IS NULL OR name = ANY($1::text[]))
                """, [queueFilter])
            for index in 0..<rated.count {
                let name = rated[index].string("name") ?? ""
                guard let limit = rated[index].int("rate_limit"), let period = rated[index].int("rate_period_ms")
                else { continue }
                let starts = try connection.execute(
                    """
                    SELECT started_at FROM worker_queue_starts WHERE queue = $1 AND started_at > $2::bigint
                    ORDER BY started_at
                    """, [.string(name), .int64(nowMillis - Int64(period))])
                guard starts.count >= limit else { continue }
                let opening = (starts[starts.count - limit].int64("started_at") ?? nowMillis) + Int64(period)
                earliest = min(earliest ?? opening, opening)
            }
            return earliest.map(PGTime.date)
        }
    }

    static func settings(_ row: PGRow) -> QueueSettings {
        var settings = QueueSettings(name: row.string("name") ?? "")
        settings.paused = row.bool("paused")
        settings.concurrency = row.int("concurrency")
        settings.perKeyConcurrency = row.int("per_key_concurrency")
        if let limit = row.int("rate_limit"), let period = row.int("rate_period_ms") {
            settings.rateLimit = RateLimit(limit: limit, periodMs: period)
        }
        settings.updatedAt = row.time("updated_at")
        return settings
    }

    /// A queue's settings, counts and `oldestReadyAt`.
    static func queueInfo(_ connection: PGConnection, _ name: String, nowMillis: Int64) throws(TaskCoreError) -> QueueInfo {
        let row = try connection.execute("SELECT \(settingsColumns) FROM worker_queues WHERE name = $1", [.string(name)])
        let settings = row.count > 0 ? Self.settings(row[0]) : QueueSettings(name: name)
        var counts = TaskStats.Counts()
        let rows = try connection.execute(
            "SELECT status, count(*) AS n FROM worker_tasks WHERE queue = $1 GROUP BY status", [.string(name)])
        for index in 0..<rows.count {
            if let status = TaskStatus(rawValue: rows[index].string("status") ?? "") {
                counts[status] = rows[index].int("n") ?? 0
            }
        }
        let oldest = try connection.execute(
            """
            SELECT min(run_at) AS t FROM worker_tasks
            WHERE queue = $1 AND status IN ('pending', 'retrying') AND run_at <= $2::bigint
            """, [.string(name), .int64(nowMillis)])
        return QueueInfo(settings: settings, counts: counts, oldestReadyAt: oldest[0].time("t"))
    }
}
