import Foundation
public import Scheduling
public import TaskCore

extension RESTBodyFields {
    /// The members of a JSON object found inside a body (a batch element), checked against `allowed`.
    /// - Throws: `invalidArgument` for a non-object or an unknown field.
    init(object value: JSONValue, allowed: [String]) throws(TaskCoreError) {
        guard case .object(let members) = value else {
            throw .invalidArgument("body", "expected an object, found \(Self.kind(of: value))")
        }
        if let unknown = members.keys.filter({ !allowed.contains($0) }).sorted().first {
            throw .invalidArgument(unknown, "\(unknown): unknown field, expected one of \(allowed.joined(separator: ", "))")
        }
        self.members = members
    }

    /// An optional array of task ids (strings of digits, or integers).
    func taskIDs(_ key: String) throws(TaskCoreError) -> [TaskID]? {
        guard let value = members[key], !value.isNull else { return nil }
        guard case .array(let elements) = value else {
            throw .invalidArgument(key, "\(key): expected an array of task ids, found \(Self.kind(of: value))")
        }
        var ids: [TaskID] = []
        ids.reserveCapacity(elements.count)
        for (position, element) in elements.enumerated() {
            let id: TaskID?
            switch element {
            case .string(let text): id = TaskID(text)
            case .integer(let number): id = number > 0 ? TaskID(number) : nil
            default: id = nil
            }
            guard let id, id.rawValue > 0 else {
                let shown = element.stringValue.map { "'\($0)'" } ?? RESTBodyFields.kind(of: element)
                throw .invalidArgument(key, "\(key)[\(position)]: \(shown) is not a task id")
            }
            ids.append(id)
        }
        return ids
    }

    /// The raw member `key`, when present and not null.
    func member(_ key: String) -> JSONValue? {
        guard let value = members[key], !value.isNull else { return nil }
        return value
    }
}

extension RESTRouter {
    /// Reads `dependsOn` and `onDependencyFailure` of a create-task body.
    static func readWorkflowFields(_ fields: RESTBodyFields, into draft: inout NewTask) throws(TaskCoreError) {
        if let ids = try fields.taskIDs("dependsOn") { draft.dependsOn = ids }
        if let policy = try fields.string("onDependencyFailure") {
            draft.onDependencyFailure = try DependencyFailurePolicy(parsing: policy)
        }
    }

    /// Reads the search filters of section 7 from a query string.
    static func readSearchFilters(_ query: RESTQuery, into taskQuery: inout TaskQuery) throws(TaskCoreError) {
        // A filter value that no task can carry is a 400 naming it, as in a body (found by schemathesis).
        if let queue = nonEmpty(query.last("queue")) {
            try QueueName.validate(queue)
            taskQuery.queue = queue
        }
        if let key = nonEmpty(query.last("concurrencyKey")) {
            try NewTask.validateConcurrencyKey(key)
            taskQuery.concurrencyKey = key
        }
        if let text = nonEmpty(query.last("jobId")) { taskQuery.jobId = JobID(rawValue: try id(text, "jobId")) }
        if let text = nonEmpty(query.last("batchId")) { taskQuery.batchId = BatchID(try id(text, "batchId")) }
        if let text = nonEmpty(query.last("dependsOn")) { taskQuery.dependsOn = TaskID(try id(text, "dependsOn")) }
        if let text = nonEmpty(query.last("createdAfter")) { taskQuery.createdAfter = try instant(text, "createdAfter") }
        if let text = nonEmpty(query.last("createdBefore")) { taskQuery.createdBefore = try instant(text, "createdBefore") }
        if let text = nonEmpty(query.last("payload")) {
            let value: JSONValue
            do throws(TaskCoreError) {
                value = try JSONReader().parse(Array(text.utf8))
            } catch {
                throw .invalidArgument("payload", "payload: '\(text.prefix(100))' is not JSON: \(error.message)")
            }
            guard case .object = value else {
                throw .invalidArgument("payload", "payload: expected a JSON object, found \(RESTBodyFields.kind(of: value))")
            }
            taskQuery.payload = value
        }
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    private static func id(_ text: String, _ name: String) throws(TaskCoreError) -> Int64 {
        guard let id = TaskID(text), id.rawValue > 0 else {
            throw .invalidArgument(name, "\(name): '\(text.prefix(100))' is not an id")
        }
        return id.rawValue
    }

    private static func instant(_ text: String, _ name: String) throws(TaskCoreError) -> Date {
        guard let date = Timestamp.parse(text) else {
            throw .invalidArgument(name, "\(name): '\(text.prefix(100))' is not an ISO 8601 timestamp such as 2026-11-29T02:00:00.000Z")
        }
        return date
    }

    // MARK: Batches

    /// `POST /api/batches` with `{"tasks": [...], "callback": {...}?}`: 201 Batch.
    func createBatch(_ request: RESTRequest) async throws(TaskCoreError) -> RESTResponse {
        let fields = try bodyFields(request, allowed: ["tasks", "callback"], optional: false)
        guard let tasksValue = fields.member("tasks") else {
            throw .invalidArgument("tasks", "tasks: required field is missing")
        }
        guard case .array(let elements) = tasksValue else {
            throw .invalidArgument("tasks", "tasks: expected an array of task bodies, found \(RESTBodyFields.kind(of: tasksValue))")
        }
        guard BatchLimits.taskCount.contains(elements.count) else {
            throw .invalidArgument(
                "tasks", "tasks: \(elements.count) tasks is out of range \(BatchLimits.taskCount.lowerBound)-\(BatchLimits.taskCount.upperBound)")
        }
        var drafts: [NewTask] = []
        drafts.reserveCapacity(elements.count)
        for (position, element) in elements.enumerated() {
            do throws(TaskCoreError) {
                let draft = try Self.newTask(from: RESTBodyFields(object: element, allowed: Self.createTaskFields))
                try draft.validate()
                drafts.append(draft)
            } catch {
                throw Self.elementError(error, "tasks[\(position)]")
            }
        }
        var callback: NewTask?
        if let value = fields.member("callback") {
            do throws(TaskCoreError) {
                var draft = try Self.newTask(from: RESTBodyFields(object: value, allowed: Self.createTaskFields))
                draft.dependsOn = []
                try draft.validate()
                callback = draft
            } catch {
                throw Self.elementError(error, "callback")
            }
        }
        let batch = try await backend.createBatch(drafts, callback: callback)
        var writer = JSONWriter(capacity: 256 + batch.taskIds.count * 8)
        writer.batch(batch)
        return .json(201, writer)
    }

    /// An element's error with its path: `tasks[3].priority: 0 is out of range 1-20`.
    static func elementError(_ error: TaskCoreError, _ path: String) -> TaskCoreError {
        if error.field == "body" {
            return .invalidArgument(path, "\(path): \(error.message)")
        }
        return error.inElement(path)
    }

    /// `GET /api/batches?limit=50&offset=0`, newest first.
    func listBatches(_ request: RESTRequest) async throws(TaskCoreError) -> RESTResponse {
        let query = RESTQuery(request.query)
        let limit = try query.integer("limit", default: 50, in: TaskQuery.limitRange)
        let offset = try query.integer("offset", default: 0, in: 0...Int.max)
        let page = try await backend.listBatches(limit: limit, offset: offset)
        var writer = JSONWriter(capacity: 128 + page.batches.count * 256)
        writer.raw("{\"batches\":[")
        for (position, batch) in page.batches.enumerated() {
            if position > 0 { writer.raw(",") }
            writer.batch(batch)
        }
        writer.raw("],\"total\":")
        writer.integer(page.total)
        writer.raw(",\"limit\":")
        writer.integer(limit)
        writer.raw(",\"offset\":")
        writer.integer(offset)
        writer.raw("}")
        return .json(200, writer)
    }

    /// `GET /api/batches/{id}`.
    func getBatch(_ id: BatchID) async throws(TaskCoreError) -> RESTResponse {
        let batch = try await backend.batch(id)
        var writer = JSONWriter(capacity: 256 + batch.taskIds.count * 8)
        writer.batch(batch)
        return .json(200, writer)
    }

    /// `POST /api/batches/{id}/cancel`.
    func cancelBatch(_ id: BatchID) async throws(TaskCoreError) -> RESTResponse {
        let batch = try await backend.cancelBatch(id)
        var writer = JSONWriter(capacity: 256 + batch.taskIds.count * 8)
        writer.batch(batch)
        return .json(200, writer)
    }

    /// The batch id of a path, or a 404 "Batch abc not found".
    func batchID(_ segment: Substring?) throws(TaskCoreError) -> BatchID {
        let text = RESTQuery.decode(segment ?? "")
        guard let id = BatchID(text), id.rawValue > 0 else {
            throw TaskCoreError(code: .notFound, message: "Batch \(text) not found")
        }
        return id
    }

    // MARK: Bulk

    static let bulkFields = ["action", "filter", "ids", "dryRun", "resetAttempts"]
    static let bulkFilterFields = [
        "status", "type", "queue", "jobId", "batchId", "concurrencyKey", "createdAfter", "createdBefore", "dependsOn",
        "payload",
    ]

    /// `POST /api/tasks/bulk`: 200 `{"matched", "changed", "skipped"}`.
    func bulkTasks(_ request: RESTRequest) async throws(TaskCoreError) -> RESTResponse {
        let fields = try bodyFields(request, allowed: Self.bulkFields, optional: false)
        guard let actionName = try fields.string("action") else {
            throw .invalidArgument("action", "action: required field is missing, expected one of retry, cancel, delete")
        }
        let action = try BulkAction(parsing: actionName)
        var query = TaskQuery()
        if let value = fields.member("filter") {
            let filter: RESTBodyFields
            do throws(TaskCoreError) {
                filter = try RESTBodyFields(object: value, allowed: Self.bulkFilterFields)
            } catch {
                throw Self.elementError(error, "filter")
            }
            do throws(TaskCoreError) { try Self.readBulkFilter(filter, into: &query) } catch {
                throw error.inElement("filter")
            }
        }
        if let ids = try fields.taskIDs("ids") { query.ids = Set(ids) }
        let dryRun = try fields.bool("dryRun") ?? false
        let reset = try fields.bool("resetAttempts") ?? false
        let result = try await backend.bulkTasks(action, filter: query, dryRun: dryRun, resetAttempts: reset)
        var writer = JSONWriter(capacity: 96)
        writer.bulkResult(result)
        return .json(200, writer)
    }

    /// Reads the `filter` object of a bulk body (the filters of `GET /api/tasks`, `status` as a list).
    static func readBulkFilter(_ fields: RESTBodyFields, into query: inout TaskQuery) throws(TaskCoreError) {
        if let value = fields.member("status") {
            switch value {
            case .array(let names):
                for (position, name) in names.enumerated() {
                    guard case .string(let text) = name else {
                        throw .invalidArgument("status", "status[\(position)]: expected a status name, found \(RESTBodyFields.kind(of: name))")
                    }
                    query.statuses.insert(try TaskStatus(parsing: text))
                }
            case .string(let text):
                for name in text.split(separator: ",") where !name.trimmingCharacters(in: .whitespaces).isEmpty {
                    query.statuses.insert(try TaskStatus(parsing: name.trimmingCharacters(in: .whitespaces)))
                }
            default:
                throw .invalidArgument("status", "status: expected a list of statuses, found \(RESTBodyFields.kind(of: value))")
            }
        }
        if let type = try fields.string("type") { query.type = type }
        query.queue = try fields.string("queue")
        if let queue = query.queue { try QueueName.validate(queue) }
        query.concurrencyKey = try fields.string("concurrencyKey")
        try NewTask.validateConcurrencyKey(query.concurrencyKey)
        for key in ["jobId", "batchId", "dependsOn"] {
            guard let value = fields.member(key) else { continue }
            let number: Int64?
            switch value {
            case .string(let text): number = TaskID(text)?.rawValue
            case .integer(let n): number = n > 0 ? n : nil
            default: number = nil
            }
            guard let number, number > 0 else { throw .invalidArgument(key, "\(key): expected an id, found \(RESTBodyFields.kind(of: value))") }
            switch key {
            case "jobId": query.jobId = JobID(rawValue: number)
            case "batchId": query.batchId = BatchID(number)
            default: query.dependsOn = TaskID(number)
            }
        }
        query.createdAfter = try fields.timestamp("createdAfter")
        query.createdBefore = try fields.timestamp("createdBefore")
        query.payload = try fields.object("payload")
        if let payload = query.payload, case .object(let members) = payload, members.isEmpty { query.payload = nil }
    }
}

extension JSONWriter {
    /// Appends the contract's Batch object (section 6).
    public mutating func batch(_ batch: BatchRecord) {
        raw("{\"id\":\"")
        integer(batch.id.rawValue)
        raw("\",\"taskIds\":[")
        for (position, id) in batch.taskIds.enumerated() {
            raw(position > 0 ? ",\"" : "\"")
            integer(id.rawValue)
            raw("\"")
        }
        raw("],\"callbackTaskId\":")
        if let callback = batch.callbackTaskId {
            raw("\"")
            integer(callback.rawValue)
            raw("\"")
        } else {
            null()
        }
        raw(",\"status\":")
        string(batch.status.rawValue)
        raw(",\"total\":")
        integer(batch.total)
        raw(",\"counts\":")
        statusCounts(batch.counts)
        raw(",\"createdAt\":")
        timestamp(batch.createdAt)
        raw(",\"finishedAt\":")
        timestamp(batch.finishedAt)
        raw("}")
    }

    /// Appends `{"pending", "processing", "completed", "failed", "cancelled", "retrying", "blocked"}`.
    public mutating func statusCounts(_ counts: TaskStats.Counts) {
        raw("{")
        for (position, status) in [TaskStatus.pending, .processing, .completed, .failed, .cancelled, .retrying, .blocked]
            .enumerated()
        {
            if position > 0 { raw(",") }
            string(status.rawValue)
            raw(":")
            integer(counts[status])
        }
        raw("}")
    }

    /// Appends `{"matched", "changed", "skipped"}`.
    public mutating func bulkResult(_ result: BulkResult) {
        raw("{\"matched\":")
        integer(result.matched)
        raw(",\"changed\":")
        integer(result.changed)
        raw(",\"skipped\":")
        integer(result.skipped)
        raw("}")
    }

    /// Appends the workflow members of a Task object: `,"dependsOn":[...],"onDependencyFailure":...,"batchId":...`.
    mutating func taskWorkflowFields(_ task: TaskRecord) {
        raw(",\"dependsOn\":[")
        for (position, id) in task.dependsOn.enumerated() {
            raw(position > 0 ? ",\"" : "\"")
            integer(id.rawValue)
            raw("\"")
        }
        raw("],\"onDependencyFailure\":")
        raw(task.onDependencyFailure == .run ? "\"run\"" : "\"cancel\"")
        raw(",\"batchId\":")
        if let batchId = task.batchId {
            raw("\"")
            integer(batchId.rawValue)
            raw("\"")
        } else {
            null()
        }
    }
}
