import Foundation
import GraphQLLite
import Scheduling
import TaskCore
import WorkerAPI

/// The gateway schema over fixed data: a ``WorkerService`` on an ``InMemoryTaskStore`` with a
/// ``ManualClock``, seeded with tasks in every status, logs and cron jobs, all at fixed instants.
struct GatewayFixture {
    let store: InMemoryTaskStore
    let gateway: GatewayHTTPHandler

    /// Builds and seeds the store (the same data on every run).
    static func make() async throws -> GatewayFixture {
        let clock = ManualClock(start: Date(timeIntervalSince1970: 1_795_000_000))
        let store = InMemoryTaskStore()
        var now = clock.now
        func tick() -> Date {
            now = now.addingTimeInterval(1.25)
            return now
        }
        let types = ["email", "report", "backup", "resize"]
        let payloads: [JSONValue] = [
            ["to": "a@b.c", "n": [1, 2, 3]],
            [:],
            ["nested": ["deep": ["x": true, "y": .null]], "ratio": 0.25],
            ["name": "Zoë ✓", "list": ["a", 1, false]],
        ]
        for index in 0..<16 {
            let priority = Priority(rawValue: [1, 5, 7, 10, 15, 20][index % 6]) ?? .normal
            let draft = NewTask(
                type: types[index % types.count], payload: payloads[index % payloads.count], priority: priority,
                maxAttempts: 1 + index % 4, runAt: index % 7 == 6 ? now.addingTimeInterval(86_400) : nil,
                uniqueKey: index % 5 == 0 ? "key-\(index)" : nil)
            _ = try await store.createTask(draft, now: tick())
        }
        // Claim a few of each type and finish them in different ways.
        let claimed = try await store.claimTasks(
            types: ["email", "report"], worker: WorkerID("diff-worker"), limit: 6, leaseDuration: .seconds(60), now: tick())
        for (index, task) in claimed.enumerated() {
            guard let token = task.lease?.token else { continue }
            try await store.appendLog(task.id, token: token, level: .info, message: "working on \(task.type) #\(index)", now: tick())
            switch index % 5 {
            case 0: _ = try await store.completeTask(task.id, token: token, result: ["ok": true, "count": .integer(Int64(index))], now: tick())
            case 1: _ = try await store.failTask(task.id, token: token, error: "SMTP timeout", retryAt: tick().addingTimeInterval(30), now: tick())
            case 2: _ = try await store.failTask(task.id, token: token, error: "bad payload", retryAt: nil, now: tick())
            case 3:
                try await store.reportProgress(task.id, token: token, progress: 40, now: tick())
                try await store.appendLog(task.id, token: token, level: .warn, message: "slow disk", now: tick())
            default: _ = try await store.completeTask(task.id, token: token, result: nil, now: tick())
            }
        }
        _ = try await store.cancelTask(TaskID(4), now: tick())
        try await store.appendLog(TaskID(4), token: nil, level: .debug, message: "operator note", now: tick())
        // Jobs: one active, one paused, one triggered once.
        _ = try await store.createJob(NewJob(name: "Daily Backup", type: "backup", schedule: "0 0 * * *"), now: tick())
        let hourly = try await store.createJob(
            NewJob(name: "Hourly report", type: "report", schedule: "0 * * * *", timezone: "Europe/Berlin",
                   payload: ["format": "pdf"], priority: .high), now: tick())
        _ = try await store.pauseJob(hourly.id, now: tick())
        let weekly = try await store.createJob(NewJob(name: "Weekly", type: "email", schedule: "0 9 * * MON"), now: tick())
        _ = try await store.triggerJob(weekly.id, now: tick())
        clock.advance(to: now)
        let service = WorkerService(store: store, clock: clock)
        return GatewayFixture(store: store, gateway: GatewayHTTPHandler(backend: service))
    }

    /// The data as JSON, in the shape of the schema's types, for the reference engine's resolvers:
    /// `{"tasks": [...by id...], "logs": {"id": [...]}, "stats": {...}, "jobs": [...]}`.
    func exportJSON() async throws -> GraphQLValue {
        let page = try await store.listTasks(TaskQuery(limit: 1000))
        var tasks: [GraphQLValue] = []
        var logs = GraphQLObject()
        for task in page.tasks.reversed() {
            tasks.append(.object(Self.taskValue(task)))
            logs[task.id.description] = .list(try await store.logs(task.id, limit: 1000).map { .object(Self.logValue($0)) })
        }
        let stats = try await store.stats()
        var statsObject: GraphQLObject = ["total": .int(stats.total)]
        for status in TaskStatus.allCases { statsObject[status.rawValue] = .int(stats.all[status]) }
        let jobs = try await store.listJobs().map { GraphQLValue.object(Self.jobValue($0)) }
        return .object(["tasks": .list(tasks), "logs": .object(logs), "stats": .object(statsObject), "jobs": .list(jobs)])
    }

    static func date(_ date: Date?) -> GraphQLValue { date.map { .string(Timestamp.format($0)) } ?? .null }

    /// A JSON value with object members sorted by key (as the gateway's `JSON` scalar writes them).
    static func json(_ value: JSONValue?) -> GraphQLValue {
        switch value {
        case nil, .null?: return .null
        case .bool(let flag)?: return .bool(flag)
        case .integer(let number)?: return Int(exactly: number).map(GraphQLValue.int) ?? .float(Double(number))
        case .double(let number)?: return .float(number)
        case .string(let text)?: return .string(text)
        case .array(let items)?: return .list(items.map { json($0) })
        case .object(let members)?:
            var object = GraphQLObject()
            for key in members.keys.sorted() { object[key] = json(members[key]) }
            return .object(object)
        }
    }

    static func taskValue(_ task: TaskRecord) -> GraphQLObject {
        [
            "id": .string(task.id.description), "type": .string(task.type), "status": .string(task.status.rawValue.uppercased()),
            "priority": .string(task.priority.levelName), "priorityValue": .int(task.priority.rawValue),
            "payload": json(task.payload), "result": json(task.result), "error": task.error.map(GraphQLValue.string) ?? .null,
            "attempts": .int(task.attempts), "maxAttempts": .int(task.maxAttempts),
            "jobId": task.jobId.map { .string($0.description) } ?? .null,
            "runAt": date(task.runAt), "createdAt": date(task.createdAt), "updatedAt": date(task.updatedAt),
            "startedAt": date(task.startedAt), "completedAt": date(task.completedAt),
            "progress": task.progress.map(GraphQLValue.int) ?? .null, "uniqueKey": task.uniqueKey.map(GraphQLValue.string) ?? .null,
        ]
    }

    static func logValue(_ entry: TaskLogEntry) -> GraphQLObject {
        [
            "timestamp": date(entry.timestamp), "level": .string(entry.level.rawValue), "message": .string(entry.message),
            "attempt": entry.attempt.map(GraphQLValue.int) ?? .null,
        ]
    }

    static func jobValue(_ job: ScheduledJob) -> GraphQLObject {
        [
            "id": .string(job.id.description), "name": .string(job.name), "type": .string(job.type),
            "schedule": .string(job.schedule), "timezone": .string(job.timezone), "payload": json(job.payload),
            "priority": .string(job.priority.levelName), "status": .string(job.status.rawValue.uppercased()),
            "lastRun": date(job.lastRun), "nextRun": date(job.nextRun), "runCount": .int(job.runCount),
            "createdAt": date(job.createdAt),
        ]
    }
}
