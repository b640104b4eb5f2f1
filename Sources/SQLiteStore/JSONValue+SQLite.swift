import Foundation
import TaskCore

extension JSONValue {
    /// The compact JSON text of the value, as stored in a TEXT column (object keys sorted, so equal
    /// values give equal text). Non-finite doubles, which JSON cannot spell, are written as `null`.
    var sqliteText: String {
        switch self {
        case .object(let members) where members.isEmpty: return "{}"
        case .null: return "null"
        default:
            var text = ""
            text.reserveCapacity(64)
            write(to: &text)
            return text
        }
    }

    private func write(to text: inout String) {
        switch self {
        case .null: text += "null"
        case .bool(let value): text += value ? "true" : "false"
        case .integer(let value): text += String(value)
        case .double(let value): text += value.isFinite ? "\(value)" : "null"
        case .string(let value): Self.writeString(value, to: &text)
        case .array(let values):
            text += "["
            for (index, value) in values.enumerated() {
                if index > 0 { text += "," }
                value.write(to: &text)
            }
            text += "]"
        case .object(let members):
            text += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                Self.writeString(key, to: &text)
                text += ":"
                members[key]!.write(to: &text)
            }
            text += "}"
        }
    }

    private static func writeString(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    /// Reads JSON text written by ``sqliteText``.
    /// - Throws: `storageFailure` when the stored text is not JSON (a damaged row).
    static func fromSQLiteText(_ text: String, column: String) throws(TaskCoreError) -> JSONValue {
        switch text {
        case "{}": return .emptyObject
        case "null": return .null
        default:
            do {
                return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
            } catch {
                throw TaskCoreError(
                    code: .storageFailure, message: "SQLite store: column \(column) holds invalid JSON: \(text.prefix(80))")
            }
        }
    }
}
