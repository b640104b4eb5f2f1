public import Foundation
public import TaskCore

/// Queue settings and views on SQLite.
extension SQLiteTaskStore {
    public func queue(_ name: String, now: Date) async throws(TaskCoreError) -> QueueInfo {
        try QueueName.validate(name, field: "name")
        let nowMillis = millis(now.truncatedToMilliseconds)
        return try await read { (db) throws(TaskCoreError) -> QueueInfo in try Self.queueInfo(db, name, nowMillis: nowMillis) }
    }

    public func listQueues(now: Date) async throws(TaskCoreError) -> [QueueInfo] {
        let nowMillis = millis(now.truncatedToMilliseconds)
        return try await read { (db) throws(TaskCoreError) -> [QueueInfo] in
            var names = Set(try db.statement("SELECT name FROM queues").rows { $0.string(0) })
            names.formUnion(try db.statement("SELECT DISTINCT queue FROM tasks").rows { $0.string(0) })
            return try names.sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }.map {
                (name) throws(TaskCoreError) in try Self.queueInfo(db, name, nowMillis: nowMillis)
            }
        }
    }

    public func updateQueue(_ name: String, _ update: QueueUpdate, now: Date) async throws(TaskCoreError) -> QueueInfo {
        try QueueName.validate(name, field: "name")
        try update.validate()
        let now = now.truncatedToMilliseconds
        let nowMillis = millis(now)
        return try await write { (db) throws(TaskCoreError) -> QueueInfo in
            let current = try Self.settings(db, name)
            let changed = update.applied(to: current, now: now)
            try db.statement(
                """
                INSERT INTO queues (name, paused, concurrency, per_key_concurrency, rate_limit, rate_period_ms, updated_at) \
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (name) DO UPDATE SET paused = ?2, concurrency = ?3, \
                per_key_concurrency = ?4, rate_limit = ?5, rate_period_ms = ?6, updated_at = ?7
                """
            ).bind(1, name).bind(2, changed.paused ? 1 : 0).bind(3, changed.concurrency)
                .bind(4, changed.perKeyConcurrency).bind(5, changed.rateLimit?.limit).bind(6, changed.rateLimit?.periodMs)
                .bind(7, nowMillis).run()
            if changed.rateLimit == nil {
                try db.statement("DELETE FROM queue_starts WHERE queue = ?1").bind(1, name).run()
            }
            return try Self.queueInfo(db, name, nowMillis: nowMillis)
        }
    }

    public func nextEligibleTime(_ filter: ClaimFilter, now: Date) async throws(TaskCoreError) -> Date? {
        let nowMillis = millis(now.truncatedToMilliseconds)
        return try await read { (db) throws(TaskCoreError) -> Date? in
            let limited = try Self.limitedQueues(db)
            var byName: [String: QueueSettings] = [:]
            for settings in limited { byName[settings.name] = settings }
            var earliest: Int64?
            // The next runAt among tasks not yet due, of queues that are not paused.
            for type in filter.types {
                let rows = try db.statement(
                    "SELECT queue, min(run_at) FROM tasks WHERE type = ?1 AND status IN ('pending', 'retrying') "
                        + "AND run_at > ?2 GROUP BY queue"
                ).bind(1, type).bind(2, nowMillis).rows { (row) throws(TaskCoreError) in (row.string(0), row.int64(1)) }
                for (queue, runAt) in rows {
                    if let wanted = filter.queues, !wanted.contains(queue) { continue }
                    if byName[queue]?.paused == true { continue }
                    earliest = min(earliest ?? runAt, runAt)
                }
            }
            // The next opening of each rate window that holds ready tasks back.
            for settings in limited {
                guard !settings.paused, let rate = settings.rateLimit else { continue }
                if let wanted = filter.queues, !wanted.contains(settings.name) { continue }
                let starts = try db.statement(
                    "SELECT started_at FROM queue_starts WHERE queue = ?1 AND started_at > ?2 ORDER BY started_at"
                ).bind(1, settings.name).bind(2, nowMillis - Int64(rate.periodMs)).rows { $0.int64(0) }
                guard starts.count >= rate.limit else { continue }
                let opening = starts[starts.count - rate.limit] + Int64(rate.periodMs)
                earliest = min(earliest ?? opening, opening)
            }
            return earliest.map(date)
        }
    }

    /// The settings row of a queue, or the defaults.
    static func settings(_ db: SQLiteConnection, _ name: String) throws(TaskCoreError) -> QueueSettings {
        try db.statement(
            "SELECT name, paused, concurrency, per_key_concurrency, rate_limit, rate_period_ms, updated_at FROM queues "
                + "WHERE name = ?1"
        ).bind(1, name).firstRow(queueSettings) ?? QueueSettings(name: name)
    }

    /// A queue's settings, counts and `oldestReadyAt`.
    static func queueInfo(_ db: SQLiteConnection, _ name: String, nowMillis: Int64) throws(TaskCoreError) -> QueueInfo {
        var counts = TaskStats.Counts()
        let rows = try db.statement("SELECT status, count(*) FROM tasks WHERE queue = ?1 GROUP BY status")
            .bind(1, name).rows { (row) throws(TaskCoreError) in (row.string(0), row.int(1)) }
        for (status, count) in rows {
            if let status = TaskStatus(rawValue: status) { counts[status] = count }
        }
        let oldest = try db.statement(
            "SELECT min(run_at) FROM tasks WHERE queue = ?1 AND status IN ('pending', 'retrying') AND run_at <= ?2"
        ).bind(1, name).bind(2, nowMillis).firstRow { $0.optionalInt64(0) } ?? nil
        return QueueInfo(settings: try settings(db, name), counts: counts, oldestReadyAt: oldest.map(date))
    }
}
