import TaskCore

/// The queue endpoints (API.md section 5).
extension RESTRouter {
    static let updateQueueFields = ["concurrency", "perKeyConcurrency", "rateLimit"]

    /// The queue name of a path, or a 400 naming it.
    func queueName(_ segment: Substring?) throws(TaskCoreError) -> String {
        let name = RESTQuery.decode(segment ?? "")
        try QueueName.validate(name, field: "name")
        return name
    }

    /// `GET /api/queues`: `{"queues": [...], "total"}`.
    func listQueues() async throws(TaskCoreError) -> RESTResponse {
        let queues = try await backend.listQueues()
        var writer = JSONWriter(capacity: 64 + queues.count * 320)
        writer.raw("{\"queues\":[")
        for (position, queue) in queues.enumerated() {
            if position > 0 { writer.raw(",") }
            writer.queue(queue)
        }
        writer.raw("],\"total\":")
        writer.integer(queues.count)
        writer.raw("}")
        return .json(200, writer)
    }

    /// `GET /api/queues/{name}`.
    func getQueue(_ name: String) async throws(TaskCoreError) -> RESTResponse {
        Self.queueResponse(try await backend.queue(name))
    }

    /// `PATCH /api/queues/{name}`: any of `concurrency`, `perKeyConcurrency`, `rateLimit`; `null` clears.
    func updateQueue(_ name: String, _ request: RESTRequest) async throws(TaskCoreError) -> RESTResponse {
        let fields = try bodyFields(request, allowed: Self.updateQueueFields, optional: true)
        let update = try Self.queueUpdate(fields)
        return Self.queueResponse(try await backend.updateQueue(name, update))
    }

    /// `POST /api/queues/{name}/pause` and `/resume` (idempotent).
    func setQueuePaused(_ name: String, _ paused: Bool) async throws(TaskCoreError) -> RESTResponse {
        Self.queueResponse(try await backend.updateQueue(name, QueueUpdate(paused: paused)))
    }

    static func queueResponse(_ queue: QueueInfo) -> RESTResponse {
        var writer = JSONWriter(capacity: 320)
        writer.queue(queue)
        return .json(200, writer)
    }

    /// Reads a PATCH body: each field absent (keep), `null` (clear) or a value in range.
    static func queueUpdate(_ fields: RESTBodyFields) throws(TaskCoreError) -> QueueUpdate {
        var update = QueueUpdate()
        let range = Int64(QueueSettings.concurrencyRange.lowerBound)...Int64(QueueSettings.concurrencyRange.upperBound)
        for name in ["concurrency", "perKeyConcurrency"] {
            guard let value = fields.members[name] else { continue }
            let setting: Int? =
                value.isNull ? nil : try fields.integer(name, in: range).map { Int($0) }
            if name == "concurrency" { update.concurrency = .some(setting) } else { update.perKeyConcurrency = .some(setting) }
        }
        if let value = fields.members["rateLimit"] {
            if value.isNull {
                update.rateLimit = .some(nil)
            } else {
                guard case .object(let members) = value else {
                    throw .invalidArgument(
                        "rateLimit", "rateLimit: expected an object {\"limit\", \"periodMs\"} or null, found \(RESTBodyFields.kind(of: value))")
                }
                let allowed = ["limit", "periodMs"]
                if let unknown = members.keys.filter({ !allowed.contains($0) }).sorted().first {
                    throw .invalidArgument(
                        "rateLimit.\(unknown)", "rateLimit.\(unknown): unknown field, expected one of limit, periodMs")
                }
                let limit = try rateMember(members, "limit", RateLimit.limitRange)
                let period = try rateMember(members, "periodMs", RateLimit.periodRange)
                update.rateLimit = .some(RateLimit(limit: limit, periodMs: period))
            }
        }
        try update.validate()
        return update
    }

    /// A required integer member of `rateLimit`, in range.
    private static func rateMember(_ members: [String: JSONValue], _ key: String, _ range: ClosedRange<Int>)
        throws(TaskCoreError) -> Int
    {
        let field = "rateLimit.\(key)"
        guard let value = members[key], !value.isNull else {
            throw .invalidArgument(field, "\(field): required field is missing")
        }
        guard let number = value.integerValue else {
            throw .invalidArgument(field, "\(field): expected an integer, found \(RESTBodyFields.kind(of: value))")
        }
        guard number >= Int64(range.lowerBound), number <= Int64(range.upperBound) else {
            throw .invalidArgument(field, "\(field): \(number) is out of range \(range.lowerBound)-\(range.upperBound)")
        }
        return Int(number)
    }
}
