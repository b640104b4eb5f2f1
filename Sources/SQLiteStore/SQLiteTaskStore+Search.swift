import Foundation
import TaskCore

/// A value bound to a numbered statement parameter.
enum SQLiteBinding: Sendable {
    case integer(Int64)
    case text(String)
    case real(Double)

    func bind(_ statement: SQLiteStatement, at index: Int32) {
        switch self {
        case .integer(let value): statement.bind(index, value)
        case .text(let value): statement.bind(index, value)
        case .real(let value): statement.bind(index, value)
        }
    }
}

/// The WHERE clause of a task search (contract section 7) with its bindings, numbered from `?1`.
///
/// The payload filter is a conjunction of `json_extract`/`json_type` conditions, one per leaf of
/// the pattern (paths and values bound as parameters): SQLite evaluates them on every row left by
/// the other conditions, so on its own it scans the table (see `Docs/WORKFLOWS.md` for its cost).
struct SQLiteTaskFilter {
    var conditions: [String] = []
    var bindings: [SQLiteBinding] = []

    init(_ query: TaskQuery) {
        let statuses = query.statuses.map(\.rawValue).sorted()
        if !statuses.isEmpty {
            conditions.append("status IN (\(statuses.map { add(.text($0)) }.joined(separator: ", ")))")
        }
        if let type = query.type { conditions.append("type = \(add(.text(type)))") }
        if let jobId = query.jobId { conditions.append("job_id = \(add(.integer(jobId.rawValue)))") }
        if let batchId = query.batchId { conditions.append("batch_id = \(add(.integer(batchId.rawValue)))") }
        if let after = query.createdAfter {
            // Stored instants are whole milliseconds: "after t" is "at or after floor(t) + 1".
            conditions.append("created_at > \(add(.integer(Int64((after.timeIntervalSince1970 * 1000).rounded(.down)))))")
        }
        if let before = query.createdBefore {
            conditions.append("created_at < \(add(.integer(Int64((before.timeIntervalSince1970 * 1000).rounded(.up)))))")
        }
        if let dependency = query.dependsOn {
            conditions.append(
                "id IN (SELECT task_id FROM task_dependencies WHERE dependency_id = \(add(.integer(dependency.rawValue))))")
        }
        if let ids = query.ids {
            let list = "[" + ids.map(\.description).joined(separator: ",") + "]"
            conditions.append("id IN (SELECT value FROM json_each(\(add(.text(list)))))")
        }
        if let beforeID = query.beforeID { conditions.append("id < \(add(.integer(beforeID.rawValue)))") }
        if let payload = query.payload { addContainment(payload, path: "$") }
    }

    /// Adds a binding and returns its placeholder.
    private mutating func add(_ binding: SQLiteBinding) -> String {
        bindings.append(binding)
        return "?\(bindings.count)"
    }

    /// The conditions under which `payload` at `path` contains `pattern`.
    private mutating func addContainment(_ pattern: JSONValue, path: String) {
        switch pattern {
        case .object(let members) where path == "$" || !members.isEmpty:
            if path != "$" { conditions.append("json_type(payload, \(add(.text(path)))) = 'object'") }
            for (key, value) in members.sorted(by: { $0.key < $1.key }) {
                addContainment(value, path: path + "." + Self.quotedLabel(key))
            }
        case .object:
            conditions.append("json_type(payload, \(add(.text(path)))) = 'object'")
        case .null:
            conditions.append("json_type(payload, \(add(.text(path)))) = 'null'")
        case .bool(let value):
            conditions.append("json_type(payload, \(add(.text(path)))) = '\(value ? "true" : "false")'")
        case .integer(let value):
            let p = add(.text(path))
            conditions.append("(json_type(payload, \(p)) IN ('integer', 'real') AND json_extract(payload, \(p)) = \(add(.integer(value))))")
        case .double(let value):
            let p = add(.text(path))
            conditions.append("(json_type(payload, \(p)) IN ('integer', 'real') AND json_extract(payload, \(p)) = \(add(.real(value))))")
        case .string(let value):
            let p = add(.text(path))
            conditions.append("(json_type(payload, \(p)) = 'text' AND json_extract(payload, \(p)) = \(add(.text(value))))")
        case .array:
            let p = add(.text(path))
            conditions.append("(json_type(payload, \(p)) = 'array' AND json(json_extract(payload, \(p))) = json(\(add(.text(pattern.sqliteText)))))")
        }
    }

    /// A JSON path label for `key`, quoted so that dots and brackets in keys are taken literally.
    static func quotedLabel(_ key: String) -> String {
        "\"" + key.replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// ` WHERE ...`, or nothing.
    var whereClause: String { conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ") }

    func bind(_ statement: SQLiteStatement) {
        for (index, binding) in bindings.enumerated() { binding.bind(statement, at: Int32(index + 1)) }
    }
}
