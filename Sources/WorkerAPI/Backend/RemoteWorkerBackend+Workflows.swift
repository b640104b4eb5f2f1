import Foundation
public import Scheduling
public import TaskCore

extension RemoteWorkerBackend {
    /// The search filters of a task query as query-string items.
    static func searchItems(_ query: TaskQuery) -> [String] {
        var items: [String] = []
        if let jobId = query.jobId { items.append("jobId=\(jobId)") }
        if let batchId = query.batchId { items.append("batchId=\(batchId)") }
        if let dependsOn = query.dependsOn { items.append("dependsOn=\(dependsOn)") }
        if let after = query.createdAfter { items.append("createdAfter=" + percentEncode(Timestamp.format(after))) }
        if let before = query.createdBefore { items.append("createdBefore=" + percentEncode(Timestamp.format(before))) }
        if let payload = query.payload {
            var writer = JSONWriter(capacity: 64)
            writer.value(payload)
            items.append("payload=" + percentEncode(String(decoding: writer.bytes, as: UTF8.self)))
        }
        return items
    }

    public func createBatch(_ tasks: [NewTask], callback: NewTask?) async throws(TaskCoreError) -> BatchRecord {
        var writer = JSONWriter(capacity: 128 + tasks.count * 96)
        writer.raw("{\"tasks\":[")
        for (position, draft) in tasks.enumerated() {
            if position > 0 { writer.raw(",") }
            writer.taskDraft(draft)
        }
        writer.raw("]")
        if let callback {
            writer.raw(",\"callback\":")
            writer.taskDraft(callback)
        }
        writer.raw("}")
        return try ContractDecoding.batch(try await send("POST", "/api/batches", body: writer.bytes).json)
    }

    public func batch(_ id: BatchID) async throws(TaskCoreError) -> BatchRecord {
        try ContractDecoding.batch(try await send("GET", "/api/batches/\(id)").json)
    }

    public func listBatches(limit: Int, offset: Int) async throws(TaskCoreError) -> BatchPage {
        let answer = try await send("GET", "/api/batches?limit=\(limit)&offset=\(offset)")
        let object = try ContractDecoding.members(answer.json, "batch list")
        var batches: [BatchRecord] = []
        for element in object["batches"]?.arrayValue ?? [] { batches.append(try ContractDecoding.batch(element)) }
        return BatchPage(batches: batches, total: Int(object["total"]?.integerValue ?? Int64(batches.count)))
    }

    public func cancelBatch(_ id: BatchID) async throws(TaskCoreError) -> BatchRecord {
        try ContractDecoding.batch(try await send("POST", "/api/batches/\(id)/cancel").json)
    }

    public func bulkTasks(_ action: BulkAction, filter: TaskQuery, dryRun: Bool, resetAttempts: Bool)
        async throws(TaskCoreError) -> BulkResult
    {
        var writer = JSONWriter(capacity: 256)
        writer.raw("{\"action\":")
        writer.string(action.rawValue)
        writer.raw(",\"filter\":{")
        var first = true
        func key(_ name: String) {
            if !first { writer.raw(",") }
            first = false
            writer.string(name)
            writer.raw(":")
        }
        if !filter.statuses.isEmpty {
            key("status")
            writer.value(.array(filter.statuses.map(\.rawValue).sorted().map(JSONValue.string)))
        }
        if let type = filter.type { key("type"); writer.string(type) }
        if let jobId = filter.jobId { key("jobId"); writer.string(jobId.description) }
        if let batchId = filter.batchId { key("batchId"); writer.string(batchId.description) }
        if let dependsOn = filter.dependsOn { key("dependsOn"); writer.string(dependsOn.description) }
        if let after = filter.createdAfter { key("createdAfter"); writer.timestamp(after) }
        if let before = filter.createdBefore { key("createdBefore"); writer.timestamp(before) }
        if let payload = filter.payload { key("payload"); writer.value(payload) }
        writer.raw("}")
        if let ids = filter.ids {
            writer.raw(",\"ids\":")
            writer.value(.array(ids.sorted().map { .string($0.description) }))
        }
        writer.raw(dryRun ? ",\"dryRun\":true" : ",\"dryRun\":false")
        writer.raw(resetAttempts ? ",\"resetAttempts\":true}" : ",\"resetAttempts\":false}")
        let answer = try await send("POST", "/api/tasks/bulk", body: writer.bytes)
        let object = try ContractDecoding.members(answer.json, "bulk result")
        return BulkResult(
            matched: Int(try ContractDecoding.integer(object, "matched") ?? 0),
            changed: Int(try ContractDecoding.integer(object, "changed") ?? 0),
            skipped: Int(try ContractDecoding.integer(object, "skipped") ?? 0))
    }
}

extension JSONWriter {
    /// Appends `,"dependsOn":[...],"onDependencyFailure":"..."` for a draft that sets them.
    mutating func workflowDraftMembers(_ draft: NewTask) {
        if !draft.dependsOn.isEmpty {
            raw(",\"dependsOn\":")
            value(.array(draft.dependsOn.map { .string($0.description) }))
        }
        if draft.onDependencyFailure != .cancel {
            raw(",\"onDependencyFailure\":")
            string(draft.onDependencyFailure.rawValue)
        }
    }

    /// Appends a create-task body for a draft (what `POST /api/tasks` and batch elements take).
    mutating func taskDraft(_ draft: NewTask) {
        raw("{\"type\":")
        string(draft.type)
        raw(",\"payload\":")
        value(draft.payload)
        raw(",\"priority\":")
        integer(draft.priority.rawValue)
        raw(",\"maxAttempts\":")
        integer(draft.maxAttempts)
        if let runAt = draft.runAt {
            raw(",\"runAt\":")
            timestamp(runAt)
        } else if let delay = draft.delay {
            raw(",\"delayMs\":")
            integer(RemoteWorkerBackend.milliseconds(delay))
        }
        if let timeout = draft.timeout {
            raw(",\"timeoutMs\":")
            integer(RemoteWorkerBackend.milliseconds(timeout))
        }
        if let uniqueKey = draft.uniqueKey {
            raw(",\"uniqueKey\":")
            string(uniqueKey)
        }
        workflowDraftMembers(draft)
        raw("}")
    }
}

extension ContractDecoding {
    /// Reads `dependsOn`, `onDependencyFailure` and `batchId` of a Task object.
    static func readWorkflowMembers(_ object: [String: JSONValue], into record: inout TaskRecord) throws(TaskCoreError) {
        if let ids = object["dependsOn"]?.arrayValue {
            record.dependsOn = ids.compactMap { $0.stringValue.flatMap { TaskID($0) } }
        }
        if let policy = try optionalString(object, "onDependencyFailure") {
            record.onDependencyFailure = DependencyFailurePolicy(rawValue: policy) ?? .cancel
        }
        record.batchId = try optionalID(object, "batchId").map(BatchID.init(rawValue:))
    }

    /// Reads a Batch object.
    package static func batch(_ json: JSONValue) throws(TaskCoreError) -> BatchRecord {
        let object = try members(json, "batch")
        var counts = TaskStats.Counts()
        let countMembers = object["counts"].flatMap { value -> [String: JSONValue]? in
            if case .object(let members) = value { return members }
            return nil
        } ?? [:]
        for status in TaskStatus.allCases { counts[status] = Int(countMembers[status.rawValue]?.integerValue ?? 0) }
        return BatchRecord(
            id: BatchID(try id(object, "id")),
            taskIds: (object["taskIds"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap { TaskID($0) } },
            callbackTaskId: try optionalID(object, "callbackTaskId").map(TaskID.init(rawValue:)),
            counts: counts, createdAt: try date(object, "createdAt"), finishedAt: try optionalDate(object, "finishedAt"))
    }
}
