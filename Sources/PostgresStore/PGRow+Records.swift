import Foundation
import TaskCore

/// The columns every task query selects, in the names ``PGRow/taskRecord()`` reads.
let taskColumns = """
    id, type, payload, priority, status, attempts, max_attempts, result, error, progress, unique_key, \
    job_id, run_at, created_at, updated_at, started_at, completed_at, timeout_ms, lease_worker, \
    lease_token, lease_expires, depends_on, on_dependency_failure, batch_id
    """

/// The columns every job query selects.
let jobColumns = """
    id, name, type, schedule, timezone, payload, priority, max_attempts, status, last_run, next_run, \
    last_task_id, run_count, catch_up, created_at, updated_at
    """

extension PGRow {
    /// The task in this row (selected with ``taskColumns``).
    func taskRecord() -> TaskRecord {
        let status = TaskStatus(rawValue: string("status") ?? "") ?? .pending
        var lease: Lease?
        if status == .processing, let worker = string("lease_worker"), let expires = time("lease_expires") {
            lease = Lease(worker: WorkerID(worker), token: int64("lease_token") ?? 0, expiresAt: expires)
        }
        var record = TaskRecord(
            id: TaskID(int64("id") ?? 0),
            type: string("type") ?? "",
            payload: PGJSON.decode(string("payload")) ?? .emptyObject,
            priority: Priority(rawValue: int("priority") ?? 5) ?? .normal,
            status: status,
            attempts: int("attempts") ?? 0,
            maxAttempts: int("max_attempts") ?? 1,
            result: PGJSON.decode(string("result")),
            error: string("error"),
            progress: int("progress"),
            uniqueKey: string("unique_key"),
            jobId: int64("job_id").map { JobID(rawValue: $0) },
            runAt: time("run_at") ?? Date(timeIntervalSince1970: 0),
            createdAt: time("created_at") ?? Date(timeIntervalSince1970: 0),
            updatedAt: time("updated_at") ?? Date(timeIntervalSince1970: 0),
            startedAt: time("started_at"),
            completedAt: time("completed_at"),
            timeout: int64("timeout_ms").map { .milliseconds($0) },
            lease: lease)
        readWorkflowColumns(into: &record)
        return record
    }

    /// The job in this row (selected with ``jobColumns``).
    func scheduledJob() -> ScheduledJob {
        ScheduledJob(
            id: JobID(int64("id") ?? 0),
            name: string("name") ?? "",
            type: string("type") ?? "",
            schedule: string("schedule") ?? "",
            timezone: string("timezone") ?? "UTC",
            payload: PGJSON.decode(string("payload")) ?? .emptyObject,
            priority: Priority(rawValue: int("priority") ?? 5) ?? .normal,
            maxAttempts: int("max_attempts"),
            status: JobStatus(rawValue: string("status") ?? "") ?? .active,
            lastRun: time("last_run"),
            nextRun: time("next_run"),
            lastTaskId: int64("last_task_id").map { TaskID(rawValue: $0) },
            runCount: int("run_count") ?? 0,
            catchUp: CatchUpPolicy(rawValue: string("catch_up") ?? "") ?? .once,
            createdAt: time("created_at") ?? Date(timeIntervalSince1970: 0),
            updatedAt: time("updated_at") ?? Date(timeIntervalSince1970: 0))
    }
}

extension PGRows {
    /// Every row as a task, in the order returned.
    func taskRecords() -> [TaskRecord] { (0..<count).map { self[$0].taskRecord() } }
    /// Every row as a job, in the order returned.
    func scheduledJobs() -> [ScheduledJob] { (0..<count).map { self[$0].scheduledJob() } }
}

/// Payloads and results are kept as JSON text.
enum PGJSON {
    static func encode(_ value: JSONValue?) -> String? {
        guard let value else { return nil }
        guard let data = try? JSONEncoder().encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String?) -> JSONValue? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}

extension Duration {
    /// Whole milliseconds, for storage.
    var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
