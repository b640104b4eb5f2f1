import Foundation
public import TaskCore

/// The queue endpoints over HTTP.
extension RemoteWorkerBackend {
    public func listQueues() async throws(TaskCoreError) -> [QueueInfo] {
        let answer = try await send("GET", "/api/queues")
        var queues: [QueueInfo] = []
        for element in try answer.json["queues"]?.arrayValue ?? [] { queues.append(try ContractDecoding.queue(element)) }
        return queues
    }

    public func queue(_ name: String) async throws(TaskCoreError) -> QueueInfo {
        try QueueName.validate(name, field: "name")
        return try ContractDecoding.queue(try await send("GET", "/api/queues/\(name)").json)
    }

    public func updateQueue(_ name: String, _ update: QueueUpdate) async throws(TaskCoreError) -> QueueInfo {
        try QueueName.validate(name, field: "name")
        var info: QueueInfo?
        if let paused = update.paused {
            info = try ContractDecoding.queue(
                try await send("POST", "/api/queues/\(name)/\(paused ? "pause" : "resume")").json)
        }
        guard update.concurrency != nil || update.perKeyConcurrency != nil || update.rateLimit != nil else {
            if let info { return info }
            return try await queue(name)
        }
        var writer = JSONWriter(capacity: 128)
        writer.raw("{")
        var first = true
        func key(_ name: StaticString) {
            if !first { writer.raw(",") }
            first = false
            writer.raw(name)
        }
        if let concurrency = update.concurrency {
            key("\"concurrency\":")
            if let value = concurrency { writer.integer(value) } else { writer.null() }
        }
        if let perKey = update.perKeyConcurrency {
            key("\"perKeyConcurrency\":")
            if let value = perKey { writer.integer(value) } else { writer.null() }
        }
        if let rateLimit = update.rateLimit {
            key("\"rateLimit\":")
            if let rate = rateLimit {
                writer.raw("{\"limit\":")
                writer.integer(rate.limit)
                writer.raw(",\"periodMs\":")
                writer.integer(rate.periodMs)
                writer.raw("}")
            } else {
                writer.null()
            }
        }
        writer.raw("}")
        return try ContractDecoding.queue(try await send("PATCH", "/api/queues/\(name)", body: writer.bytes).json)
    }
}

extension ContractDecoding {
    package static func queue(_ json: JSONValue) throws(TaskCoreError) -> QueueInfo {
        let object = try members(json, "queue")
        var settings = QueueSettings(name: try string(object, "name"))
        settings.paused = object["paused"]?.boolValue ?? false
        settings.concurrency = try integer(object, "concurrency").map { Int($0) }
        settings.perKeyConcurrency = try integer(object, "perKeyConcurrency").map { Int($0) }
        if let rate = object["rateLimit"]?.objectValue {
            settings.rateLimit = RateLimit(
                limit: Int(rate["limit"]?.integerValue ?? 1), periodMs: Int(rate["periodMs"]?.integerValue ?? 1))
        }
        settings.updatedAt = try optionalDate(object, "updatedAt")
        var counts = TaskStats.Counts()
        for (name, value) in object["counts"]?.objectValue ?? [:] {
            if let status = TaskStatus(rawValue: name) { counts[status] = Int(value.integerValue ?? 0) }
        }
        return QueueInfo(settings: settings, counts: counts, oldestReadyAt: try optionalDate(object, "oldestReadyAt"))
    }
}
