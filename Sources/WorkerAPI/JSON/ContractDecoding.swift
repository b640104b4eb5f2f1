import Foundation
package import TaskCore

/// Reads the contract's JSON shapes back into models (what ``RemoteWorkerBackend`` receives).
///
/// Lenient about what the contract leaves open (missing optional members), strict about types:
/// a member of the wrong type is a `storageFailure` naming it, since it means the worker answered
/// something other than the contract.
package enum ContractDecoding {
    package static func task(_ json: JSONValue) throws(TaskCoreError) -> TaskRecord {
        let object = try members(json, "task")
        let created = try date(object, "createdAt")
        var record = TaskRecord(
            id: TaskID(rawValue: try id(object, "id")),
            type: try string(object, "type"),
            payload: object["payload"] ?? .emptyObject,
            priority: Priority(rawValue: Int(try integer(object, "priority") ?? 5)) ?? .normal,
            status: try status(object),
            attempts: Int(try integer(object, "attempts") ?? 0),
            maxAttempts: Int(try integer(object, "maxAttempts") ?? 3),
            result: object["result"].flatMap { $0.isNull ? nil : $0 },
            error: try optionalString(object, "error"),
            progress: try integer(object, "progress").map { Int($0) },
            uniqueKey: try optionalString(object, "uniqueKey"),
            jobId: try optionalID(object, "jobId").map { JobID(rawValue: $0) },
            runAt: try optionalDate(object, "runAt") ?? created,
            createdAt: created,
            updatedAt: try optionalDate(object, "updatedAt") ?? created,
            startedAt: try optionalDate(object, "startedAt"),
            completedAt: try optionalDate(object, "completedAt"))
        try readWorkflowMembers(object, into: &record)
        return record
    }

    package static func job(_ json: JSONValue) throws(TaskCoreError) -> ScheduledJob {
        let object = try members(json, "job")
        let created = try date(object, "createdAt")
        return ScheduledJob(
            id: JobID(rawValue: try id(object, "id")),
            name: try string(object, "name"),
            type: try string(object, "type"),
            schedule: try string(object, "schedule"),
            timezone: try optionalString(object, "timezone") ?? "UTC",
            payload: object["payload"] ?? .emptyObject,
            priority: Priority(rawValue: Int(try integer(object, "priority") ?? 5)) ?? .normal,
            maxAttempts: try integer(object, "maxAttempts").map { Int($0) },
            status: JobStatus(rawValue: try string(object, "status")) ?? .active,
            lastRun: try optionalDate(object, "lastRun"),
            nextRun: try optionalDate(object, "nextRun"),
            lastTaskId: try optionalID(object, "lastTaskId").map { TaskID(rawValue: $0) },
            runCount: Int(try integer(object, "runCount") ?? 0),
            catchUp: CatchUpPolicy(rawValue: try optionalString(object, "catchUp") ?? "once") ?? .once,
            createdAt: created,
            updatedAt: try optionalDate(object, "updatedAt") ?? created)
    }

    package static func logEntry(_ json: JSONValue) throws(TaskCoreError) -> TaskLogEntry {
        let object = try members(json, "log entry")
        return TaskLogEntry(
            timestamp: try date(object, "timestamp"),
            level: TaskLogEntry.Level(rawValue: try string(object, "level")) ?? .info,
            message: try string(object, "message"),
            attempt: try integer(object, "attempt").map { Int($0) })
    }

    package static func stats(_ json: JSONValue) throws(TaskCoreError) -> TaskStats {
        let object = try members(json, "stats")
        var stats = TaskStats()
        for status in TaskStatus.allCases {
            stats.all[status] = Int(try integer(object, status.rawValue) ?? 0)
        }
        for (type, counts) in object["byType"]?.objectValue ?? [:] {
            let members = try members(counts, "byType.\(type)")
            var group = TaskStats.Counts()
            // The contract's byType carries total, completed and failed; the rest is folded into pending.
            let completed = Int(try integer(members, "completed") ?? 0)
            let failed = Int(try integer(members, "failed") ?? 0)
            let total = Int(try integer(members, "total") ?? 0)
            group[.completed] = completed
            group[.failed] = failed
            group[.pending] = max(0, total - completed - failed)
            stats.byType[type] = group
        }
        return stats
    }

    // MARK: Members

    static func members(_ json: JSONValue, _ what: String) throws(TaskCoreError) -> [String: JSONValue] {
        guard case .object(let members) = json else { throw malformed("\(what): expected an object") }
        return members
    }

    static func malformed(_ message: String) -> TaskCoreError {
        TaskCoreError(code: .storageFailure, message: "Worker Service answered unexpected JSON: \(message)")
    }

    static func string(_ object: [String: JSONValue], _ key: String) throws(TaskCoreError) -> String {
        guard let text = object[key]?.stringValue else { throw malformed("\(key): expected a string") }
        return text
    }

    static func optionalString(_ object: [String: JSONValue], _ key: String) throws(TaskCoreError) -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw malformed("\(key): expected a string or null") }
        return text
    }

    static func integer(_ object: [String: JSONValue], _ key: String) throws(TaskCoreError) -> Int64? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let number = value.integerValue else { throw malformed("\(key): expected an integer or null") }
        return number
    }

    static func id(_ object: [String: JSONValue], _ key: String) throws(TaskCoreError) -> Int64 {
        guard let value = try optionalID(object, key) else { throw malformed("\(key): expected an id") }
        return value
    }

    static func optionalID(_ object: [String: JSONValue], _ key: String) throws(TaskCoreError) -> Int64? {
        guard let value = object[key], !value.isNull else { return nil }
        if let text = value.stringValue, let id = TaskID(text) { return id.rawValue }
        if let number = value.integerValue { return number }
        throw malformed("\(key): expected an id")
    }

    static func date(_ object: [String: JSONValue], _ key: String) throws(TaskCoreError) -> Date {
        guard let value = try optionalDate(object, key) else { throw malformed("\(key): expected a timestamp") }
        return value
    }

    static func optionalDate(_ object: [String: JSONValue], _ key: String) throws(TaskCoreError) -> Date? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let text = value.stringValue, let date = Timestamp.parse(text) else {
            throw malformed("\(key): expected an ISO 8601 timestamp")
        }
        return date
    }

    static func status(_ object: [String: JSONValue]) throws(TaskCoreError) -> TaskStatus {
        let text = try string(object, "status")
        guard let status = TaskStatus(rawValue: text) else { throw malformed("status: unknown value '\(text)'") }
        return status
    }
}
