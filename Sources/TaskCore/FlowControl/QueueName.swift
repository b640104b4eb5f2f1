/// The rules of queue names: 1–100 characters of `A–Z a–z 0–9 _ . -`.
public enum QueueName {
    /// The queue of a task or job that names none.
    public static let defaultName = "default"

    /// The longest queue name accepted.
    public static let maxLength = 100

    /// Whether `name` is a valid queue name.
    /// - Complexity: O(n) in the name's length.
    public static func isValid(_ name: String) -> Bool {
        // Nearly every task is in the default queue; a small-string comparison is far cheaper than the scan.
        if name == defaultName { return true }
        let utf8 = name.utf8
        guard !utf8.isEmpty, utf8.count <= maxLength else { return false }
        return utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2E || byte == 0x2D
        }
    }

    /// Checks a queue name.
    /// - Parameter field: the field to name in the error (`queue`, or `name` for a path).
    /// - Throws: ``TaskCoreError`` with code `invalidArgument`, naming the field, the value and the rule.
    public static func validate(_ name: String, field: String = "queue") throws(TaskCoreError) {
        guard !isValid(name) else { return }
        throw .invalidArgument(
            field, "\(field): \(quoted(name)) is not a valid queue name (expected 1-100 characters of A-Z a-z 0-9 _ . -)")
    }

    /// A value quoted for an error message, shortened when long.
    static func quoted(_ value: String) -> String {
        let shown = value.count > 120 ? String(value.prefix(120)) + "…" : value
        var escaped = ""
        for scalar in shown.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                escaped += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return "\"" + escaped + "\""
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

extension NewTask {
    /// The longest `concurrencyKey` accepted, in characters.
    public static let maxConcurrencyKeyLength = 200

    /// Checks a concurrency key: `nil`, or 1–200 characters without control characters.
    /// - Throws: ``TaskCoreError`` with code `invalidArgument` naming `concurrencyKey`.
    public static func validateConcurrencyKey(_ key: String?, field: String = "concurrencyKey") throws(TaskCoreError) {
        guard let key else { return }
        let utf8 = key.utf8
        if !utf8.isEmpty, utf8.count <= maxConcurrencyKeyLength, utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return }
        if key.isEmpty {
            throw .invalidArgument(field, "\(field): \"\" must be 1-200 characters")
        }
        // Code points, as JSON Schema counts (see `NewTask.validateType`).
        if key.unicodeScalars.count > maxConcurrencyKeyLength {
            throw .invalidArgument(
                field,
                "\(field): \(QueueName.quoted(key)) is \(key.unicodeScalars.count) characters long (expected 1-200 characters)")
        }
        if key.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw .invalidArgument(field, "\(field): \(QueueName.quoted(key)) must not contain control characters")
        }
    }
}
