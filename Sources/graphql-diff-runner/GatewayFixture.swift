import Foundation
import GraphQLLite
import Scheduling
import TaskCore
import WorkerAPI

/// The gateway schema over fixed data: a ``WorkerService`` on an ``InMemoryTaskStore`` with a
/// ``ManualClock``, seeded with tasks in every status, logs and cron jobs, all at fixed instants.
struct GatewayFixture {
    let store: InMemoryTaskStore
    let clock: ManualClock
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
        try await seedFlowControl(store, tick)
        try await seedWorkflows(store, tick)
        _ = try await store.createJob(
            NewJob(name: "Nightly thumbnails", type: "thumbnail", schedule: "30 2 * * *", queue: "reports"), now: tick())
        clock.advance(to: now)
        let service = WorkerService(store: store, clock: clock)
        return GatewayFixture(store: store, clock: clock, gateway: GatewayHTTPHandler(backend: service))
    }

    /// Queues (API.md section 5): one paused with a concurrency limit, one with a per-key limit and a
    /// rate limit, one with settings and no task; tasks 18-21 in them with concurrency keys (21 is
    /// claimed, so `reports` has a processing task of key `tenant-a`).
    private static func seedFlowControl(_ store: InMemoryTaskStore, _ tick: () -> Date) async throws {
        _ = try await store.updateQueue("emails", QueueUpdate(paused: true, concurrency: .some(5)), now: tick())
        _ = try await store.updateQueue(
            "reports", QueueUpdate(perKeyConcurrency: .some(2), rateLimit: .some(RateLimit(limit: 10, periodMs: 60_000))),
            now: tick())
        _ = try await store.updateQueue("idle.queue-1", QueueUpdate(concurrency: .some(1)), now: tick())
        let drafts = [
            NewTask(type: "email", payload: ["to": "x@y.z", "tenant": "a"], queue: "emails", concurrencyKey: "tenant-a"),
            NewTask(type: "email", payload: ["tenant": "b", "n": 2], runAt: tick().addingTimeInterval(3_600), queue: "emails",
                    concurrencyKey: "tenant-b"),
            NewTask(type: "report", payload: ["tenant": "a", "n": 2.0], priority: .low, queue: "reports", concurrencyKey: "tenant-a"),
            NewTask(type: "report", payload: ["tenant": "a", "flags": [true, 1]], priority: .critical, queue: "reports",
                    concurrencyKey: "tenant-a"),
        ]
        for draft in drafts { _ = try await store.createTask(draft, now: tick()) }
        let claimed = try await store.claimTasks(
            ClaimFilter(types: ["report"], queues: ["reports"]), worker: WorkerID("diff-worker"), limit: 1,
            leaseDuration: .seconds(60), now: tick())
        for task in claimed {
            try await store.appendLog(task.id, token: task.lease?.token, level: .info, message: "key tenant-a", now: tick())
        }
    }

    /// Dependencies and batches (API.md section 6): blocked tasks (22 on 21 and 3, 23 on 22 with
    /// policy RUN), a task whose dependencies completed (24), one cancelled by a failed dependency
    /// (25) and one that runs anyway (26); batch 1 (27-29, callback 30) with one task completed and
    /// one failed, batch 2 (31-32) finished, with 32 deleted afterwards.
    private static func seedWorkflows(_ store: InMemoryTaskStore, _ tick: () -> Date) async throws {
        func dependent(_ type: String, on ids: [TaskID], policy: DependencyFailurePolicy = .cancel) -> NewTask {
            var draft = NewTask(type: type, payload: ["step": .integer(Int64(ids.count))])
            draft.dependsOn = ids
            draft.onDependencyFailure = policy
            return draft
        }
        for draft in [
            dependent("backup", on: [TaskID(21), TaskID(3)]),
            dependent("backup", on: [TaskID(22)], policy: .run),
            dependent("resize", on: [TaskID(1), TaskID(2)]),
            dependent("email", on: [TaskID(10)]),
            dependent("email", on: [TaskID(10)], policy: .run),
        ] {
            _ = try await store.createTask(draft, now: tick())
        }
        let first = [Priority.critical, .high, .low].map { NewTask(type: "thumbnail", payload: ["size": 64], priority: $0) }
        _ = try await store.createBatch(first, callback: NewTask(type: "report", payload: ["batch": 1]), now: tick())
        let second = [Priority.normal, .normal].map { NewTask(type: "thumbnail", payload: ["size": 128], priority: $0) }
        _ = try await store.createBatch(second, callback: nil, now: tick())
        // Claims the thumbnails 27, 28, 31, 32 (29 is LOW): completes 27, fails 28, completes 31 and 32.
        let claimed = try await store.claimTasks(
            types: ["thumbnail"], worker: WorkerID("diff-worker"), limit: 4, leaseDuration: .seconds(60), now: tick())
        for task in claimed.sorted(by: { $0.id < $1.id }) {
            guard let token = task.lease?.token else { continue }
            if task.id == TaskID(28) {
                _ = try await store.failTask(task.id, token: token, error: "corrupt image", retryAt: nil, now: tick())
            } else {
                _ = try await store.completeTask(task.id, token: token, result: ["pixels": .integer(task.id.rawValue * 100)], now: tick())
            }
        }
        _ = try await store.deleteFinalTasks([TaskID(32)])
    }

    /// The data as JSON, in the shape of the schema's types, for the reference engine's resolvers:
    /// `{"tasks": [...by id...], "logs": {"id": [...]}, "stats": {...}, "jobs": [...], "queues": [...by name...],
    /// "batches": [...by id...]}`. Tasks carry `dependsOn` (ids) and batches `taskIds` and `callbackTaskId`
    /// for the reference's resolvers of `Task.dependencies`, `Task.dependents`, `Batch.tasks`, `Batch.callback`.
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
        let queues = try await store.listQueues(now: clock.now).map { GraphQLValue.object(Self.queueValue($0)) }
        let batchPage = try await store.listBatches(limit: 1000, offset: 0)
        let batches = batchPage.batches.reversed().map { GraphQLValue.object(Self.batchValue($0)) }
        return .object([
            "tasks": .list(tasks), "logs": .object(logs), "stats": .object(statsObject), "jobs": .list(jobs),
            "queues": .list(queues), "batches": .list(batches),
        ])
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
            "queue": .string(task.queue), "concurrencyKey": task.concurrencyKey.map(GraphQLValue.string) ?? .null,
            "dependsOn": .list(task.dependsOn.map { .string($0.description) }),
            "onDependencyFailure": .string(task.onDependencyFailure.rawValue.uppercased()),
            "batchId": task.batchId.map { .string($0.description) } ?? .null,
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
            "createdAt": date(job.createdAt), "queue": .string(job.queue),
        ]
    }

    /// The counts of `QueueCounts` (every status of ``QueueInfo/countedStatusNames``).
    static func countsValue(_ counts: TaskStats.Counts) -> GraphQLObject {
        let info = QueueInfo(settings: QueueSettings(name: "counts"), counts: counts)
        var object = GraphQLObject()
        for name in QueueInfo.countedStatusNames { object[name] = .int(info.count(named: name)) }
        return object
    }

    static func queueValue(_ queue: QueueInfo) -> GraphQLObject {
        [
            "name": .string(queue.name), "paused": .bool(queue.settings.paused),
            "concurrency": queue.settings.concurrency.map(GraphQLValue.int) ?? .null,
            "perKeyConcurrency": queue.settings.perKeyConcurrency.map(GraphQLValue.int) ?? .null,
            "rateLimit": queue.settings.rateLimit.map { .object(["limit": .int($0.limit), "periodMs": .int($0.periodMs)]) } ?? .null,
            "counts": .object(countsValue(queue.counts)), "oldestReadyAt": date(queue.oldestReadyAt),
        ]
    }

    static func batchValue(_ batch: BatchRecord) -> GraphQLObject {
        [
            "id": .string(batch.id.description), "status": .string(batch.status.rawValue), "total": .int(batch.total),
            "counts": .object(countsValue(batch.counts)), "createdAt": date(batch.createdAt), "finishedAt": date(batch.finishedAt),
            "taskIds": .list(batch.taskIds.map { .string($0.description) }),
            "callbackTaskId": batch.callbackTaskId.map { .string($0.description) } ?? .null,
        ]
    }
}
