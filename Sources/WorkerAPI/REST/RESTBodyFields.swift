import Foundation
import TaskCore

/// The members of a JSON request body, read with field-naming errors:
/// `type: expected a string, found number`, `color: unknown field, expected one of type, payload, ...`.
///
/// `null` counts as absent for optional fields (clients that echo a Task back send `"uniqueKey": null`).
struct RESTBodyFields {
    let members: [String: JSONValue]

    /// Parses `body` as a JSON object whose keys are all in `allowed`.
    /// - Parameter emptyMeansEmptyObject: whether an empty body counts as `{}` (optional bodies).
    /// - Throws: `invalidArgument` for malformed JSON, a non-object, or an unknown field.
    init(body: [UInt8], allowed: [String], emptyMeansEmptyObject: Bool) throws(TaskCoreError) {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            guard emptyMeansEmptyObject else {
                throw .invalidArgument("body", "Request body is empty: expected a JSON object")
            }
            members = [:]
            return
        }
        let value = try JSONReader().parse(body)
        guard case .object(let members) = value else {
            throw .invalidArgument("body", "Request body must be a JSON object, found \(Self.kind(of: value))")
        }
        if members.count > allowed.count || members.keys.contains(where: { !allowed.contains($0) }) {
            let unknown = members.keys.filter { !allowed.contains($0) }.sorted()
            let field = unknown.first!
            throw .invalidArgument(
                field, "\(field): unknown field, expected one of \(allowed.joined(separator: ", "))")
        }
        self.members = members
    }

    /// The JSON kind of a value, as named in error messages.
    static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .integer, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    private func present(_ key: String) -> JSONValue? {
        guard let value = members[key], !value.isNull else { return nil }
        return value
    }

    /// A required string.
    func requiredString(_ key: String) throws(TaskCoreError) -> String {
        guard let value = members[key] else { throw .invalidArgument(key, "\(key): required field is missing") }
        guard case .string(let text) = value else {
            throw .invalidArgument(key, "\(key): expected a string, found \(Self.kind(of: value))")
        }
        return text
    }

    /// An optional string.
    func string(_ key: String) throws(TaskCoreError) -> String? {
        guard let value = present(key) else { return nil }
        guard case .string(let text) = value else {
            throw .invalidArgument(key, "\(key): expected a string, found \(Self.kind(of: value))")
        }
        return text
    }

    /// An optional integer in `range`.
    func integer(_ key: String, in range: ClosedRange<Int64>) throws(TaskCoreError) -> Int64? {
        guard let value = present(key) else { return nil }
        guard case .integer(let number) = value else {
            if case .double(let number) = value {
                if let exact = value.integerValue {
                    guard range.contains(exact) else { throw outOfRange(key, "\(exact)", range) }
                    return exact
                }
                throw .invalidArgument(key, "\(key): expected an integer, found \(number)")
            }
            throw .invalidArgument(key, "\(key): expected an integer, found \(Self.kind(of: value))")
        }
        guard range.contains(number) else { throw outOfRange(key, "\(number)", range) }
        return number
    }

    private func outOfRange(_ key: String, _ shown: String, _ range: ClosedRange<Int64>) -> TaskCoreError {
        .invalidArgument(key, "\(key): \(shown) is out of range \(range.lowerBound)-\(range.upperBound)")
    }

    /// An optional Boolean.
    func bool(_ key: String) throws(TaskCoreError) -> Bool? {
        guard let value = present(key) else { return nil }
        guard case .bool(let flag) = value else {
            throw .invalidArgument(key, "\(key): expected a boolean, found \(Self.kind(of: value))")
        }
        return flag
    }

    /// An optional JSON object (a payload).
    func object(_ key: String) throws(TaskCoreError) -> JSONValue? {
        guard let value = present(key) else { return nil }
        guard case .object = value else {
            throw .invalidArgument(key, "\(key): expected an object, found \(Self.kind(of: value))")
        }
        return value
    }

    /// An optional priority: an integer 1...20 or a level name in any case.
    func priority(_ key: String = "priority") throws(TaskCoreError) -> Priority? {
        guard let value = present(key) else { return nil }
        switch value {
        case .string(let text):
            // A string must be a level name: a number belongs in a JSON number ("5" is mistyped).
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if Int(trimmed) != nil {
                throw .invalidArgument(
                    key, "\(key): expected an integer 1-20 or LOW, NORMAL, HIGH, CRITICAL, found the string '\(TaskCoreError.excerpt(text))'")
            }
            return try Priority(parsing: trimmed)
        case .integer, .double:
            guard let number = value.integerValue else {
                throw .invalidArgument(key, "\(key): expected an integer 1-20 or LOW, NORMAL, HIGH, CRITICAL, found \(value.doubleValue ?? 0)")
            }
            guard let small = Int(exactly: number), let priority = Priority(rawValue: small) else {
                throw .invalidArgument(key, "\(key): \(number) is out of range 1-20")
            }
            return priority
        default:
            throw .invalidArgument(
                key, "\(key): expected an integer 1-20 or LOW, NORMAL, HIGH, CRITICAL, found \(Self.kind(of: value))")
        }
    }

    /// An optional ISO 8601 timestamp.
    func timestamp(_ key: String) throws(TaskCoreError) -> Date? {
        guard let text = try string(key) else { return nil }
        guard let date = Timestamp.parse(text) else {
            throw .invalidArgument(key, "\(key): '\(TaskCoreError.excerpt(text))' is not an ISO 8601 timestamp such as 2026-11-29T02:00:00.000Z")
        }
        return date
    }
}
