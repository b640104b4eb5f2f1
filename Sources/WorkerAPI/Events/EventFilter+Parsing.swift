import Foundation
import Scheduling
import TaskCore

/// The filters of `GET /api/events` and of the GraphQL subscription fields, validated one rule for both.
enum EventFilterParsing {
    /// The query parameters `GET /api/events` accepts besides the filters.
    static let otherParameters: Set<String> = ["lastEventId", "access_token"]
    /// The filter fields, in the contract's order.
    static let fields = ["taskId", "type", "queue", "jobId", "batchId", "events"]

    /// Sets one filter field from its text.
    /// - Throws: `invalidArgument` naming the field, the value and what was expected.
    static func apply(_ field: String, _ value: String, to filter: inout EventFilter) throws(TaskCoreError) {
        switch field {
        case "taskId":
            guard let id = positiveID(value) else {
                throw .invalidArgument(field, "taskId: \(quoted(value)) is not a task id (a positive integer)")
            }
            filter.taskID = TaskID(rawValue: id)
        case "jobId":
            guard let id = positiveID(value) else {
                throw .invalidArgument(field, "jobId: \(quoted(value)) is not a job id (a positive integer)")
            }
            filter.jobID = JobID(rawValue: id)
        case "batchId":
            guard let id = positiveID(value) else {
                throw .invalidArgument(field, "batchId: \(quoted(value)) is not a batch id (a positive integer)")
            }
            filter.batchID = String(id)
        case "type":
            guard !value.isEmpty, value.count <= 200, !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else {
                throw .invalidArgument(field, "type: \(quoted(value)) is not a task type (1-200 characters, no control characters)")
            }
            filter.type = value
        case "queue":
            guard isQueueName(value) else {
                throw .invalidArgument(field, "queue: \(quoted(value)) is not a queue name (1-100 characters of A-Z a-z 0-9 _ . -)")
            }
            filter.queue = value
        case "events":
            var kinds = filter.kinds ?? []
            for name in value.split(separator: ",", omittingEmptySubsequences: false) {
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                guard let kind = ChangeEvent.Kind(rawValue: trimmed) else {
                    throw .invalidArgument(field, "events: \(quoted(trimmed)) is not one of task, job, queue, batch")
                }
                kinds.insert(kind)
            }
            filter.kinds = kinds
        default:
            throw .invalidArgument(
                field, "Unknown filter field '\(field)'; expected one of \(fields.joined(separator: ", ")) (or lastEventId)")
        }
    }

    /// A `lastEventId` / `Last-Event-ID` value.
    static func lastEventID(_ value: String) throws(TaskCoreError) -> UInt64 {
        guard let id = UInt64(value.trimmingCharacters(in: .whitespaces)) else {
            throw .invalidArgument("lastEventId", "lastEventId: \(quoted(value)) is not an event id (a non-negative integer)")
        }
        return id
    }

    static func positiveID(_ text: String) -> Int64? {
        guard let id = Int64(text), id > 0 else { return nil }
        return id
    }

    static func isQueueName(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard (1...100).contains(utf8.count) else { return false }
        return utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
        }
    }

    static func quoted(_ value: String) -> String {
        "\"" + String(value.prefix(100)) + (value.count > 100 ? "…" : "") + "\""
    }
}
