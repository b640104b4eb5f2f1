import Foundation
import TaskCore

/// The task endpoints.
extension RESTRouter {
    static let createTaskFields = [
        "type", "payload", "priority", "maxAttempts", "runAt", "delayMs", "timeoutMs", "uniqueKey",
        "dependsOn", "onDependencyFailure",
    ]
    /// The largest `delayMs` accepted: ten years.
    static let maxDelayMilliseconds: Int64 = 315_360_000_000
    /// The largest `timeoutMs` accepted: 2^31 - 1 ms (about 24.8 days), JavaScript's timer limit.
    static let maxTimeoutMilliseconds: Int64 = 2_147_483_647

    /// `POST /api/tasks`: 201 with the new task, 200 with the unfinished task holding the same `uniqueKey`.
    func createTask(_ request: RESTRequest) async throws(TaskCoreError) -> RESTResponse {
        let draft = try Self.newTask(from: bodyFields(request, allowed: Self.createTaskFields, optional: false))
        let created = try await backend.createTask(draft)
        var writer = JSONWriter(capacity: 512)
        writer.task(created.task)
        return .json(created.created ? 201 : 200, writer)
    }

    /// Reads and checks a create-task body.
    static func newTask(from fields: RESTBodyFields) throws(TaskCoreError) -> NewTask {
        let type = try fields.requiredString("type")
        var draft = NewTask(type: type)
        if let payload = try fields.object("payload") { draft.payload = payload }
        if let priority = try fields.priority() { draft.priority = priority }
        if let maxAttempts = try fields.integer(
            "maxAttempts", in: Int64(NewTask.maxAttemptsRange.lowerBound)...Int64(NewTask.maxAttemptsRange.upperBound))
        {
            draft.maxAttempts = Int(maxAttempts)
        }
        let runAt = try fields.timestamp("runAt")
        let delay = try fields.integer("delayMs", in: 0...maxDelayMilliseconds)
        if runAt != nil, delay != nil {
            throw .invalidArgument("delayMs", "runAt, delayMs: give at most one of runAt and delayMs, not both")
        }
        draft.runAt = runAt
        draft.delay = delay.map { .milliseconds($0) }
        draft.timeout = try fields.integer("timeoutMs", in: 1...maxTimeoutMilliseconds).map { .milliseconds($0) }
        draft.uniqueKey = try fields.string("uniqueKey")
        try readWorkflowFields(fields, into: &draft)
        // `type` and `uniqueKey` are checked by the backend (every store runs `NewTask.validate()`),
        // so the hot path does not scan the type's Unicode properties twice.
        return draft
    }

    /// `GET /api/tasks?status=pending,failed&type=email&limit=50&offset=0`, newest first.
    func listTasks(_ request: RESTRequest) async throws(TaskCoreError) -> RESTResponse {
        let query = RESTQuery(request.query)
        var taskQuery = TaskQuery()
        for list in query.all("status") {
            for name in list.split(separator: ",") {
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty { taskQuery.statuses.insert(try TaskStatus(parsing: trimmed)) }
            }
        }
        if let type = query.last("type"), !type.isEmpty { taskQuery.type = type }
        try Self.readSearchFilters(query, into: &taskQuery)
        taskQuery.limit = try query.integer("limit", default: 50, in: TaskQuery.limitRange)
        taskQuery.offset = try query.integer("offset", default: 0, in: 0...Int.max)
        let page = try await backend.listTasks(taskQuery)
        var writer = JSONWriter(capacity: 64 + page.tasks.count * 480)
        writer.raw("{\"tasks\":[")
        for (position, task) in page.tasks.enumerated() {
            if position > 0 { writer.raw(",") }
            writer.task(task)
        }
        writer.raw("],\"total\":")
        writer.integer(page.total)
        writer.raw(",\"limit\":")
        writer.integer(taskQuery.limit)
        writer.raw(",\"offset\":")
        writer.integer(taskQuery.offset)
        writer.raw("}")
        return .json(200, writer)
    }

    /// `GET /api/tasks/{id}`.
    func getTask(_ id: TaskID) async throws(TaskCoreError) -> RESTResponse {
        let task = try await backend.task(id)
        var writer = JSONWriter(capacity: 512)
        writer.task(task)
        return .json(200, writer)
    }

    /// `POST /api/tasks/{id}/retry` with an optional `{"resetAttempts": false}`.
    func retryTask(_ id: TaskID, _ request: RESTRequest) async throws(TaskCoreError) -> RESTResponse {
        let fields = try bodyFields(request, allowed: ["resetAttempts"], optional: true)
        let reset = try fields.bool("resetAttempts") ?? false
        let task = try await backend.retryTask(id, resetAttempts: reset)
        var writer = JSONWriter(capacity: 512)
        writer.task(task)
        return .json(200, writer)
    }

    /// `POST /api/tasks/{id}/cancel` (any body is ignored).
    func cancelTask(_ id: TaskID) async throws(TaskCoreError) -> RESTResponse {
        let task = try await backend.cancelTask(id)
        var writer = JSONWriter(capacity: 512)
        writer.task(task)
        return .json(200, writer)
    }

    /// `GET /api/tasks/{id}/logs?limit=100`, oldest first.
    func taskLogs(_ id: TaskID, _ request: RESTRequest) async throws(TaskCoreError) -> RESTResponse {
        let limit = try RESTQuery(request.query).integer("limit", default: 100, in: TaskQuery.limitRange)
        let logs = try await backend.taskLogs(id, limit: limit)
        var writer = JSONWriter(capacity: 64 + logs.count * 128)
        writer.raw("{\"taskId\":\"")
        writer.integer(id.rawValue)
        writer.raw("\",\"logs\":[")
        for (position, entry) in logs.enumerated() {
            if position > 0 { writer.raw(",") }
            writer.logEntry(entry)
        }
        writer.raw("]}")
        return .json(200, writer)
    }

    /// `GET /api/tasks/stats/summary`.
    func taskStats() async throws(TaskCoreError) -> RESTResponse {
        let stats = try await backend.taskStats()
        var writer = JSONWriter(capacity: 256)
        writer.taskStats(stats)
        return .json(200, writer)
    }
}
