/// The fields of an expression as the parser found them, before they become a ``CronExpression``.
struct ParsedCron {
    var masks = [UInt64](repeating: 0, count: CronField.allCases.count)
    var lastDayOfMonth = false
    var nearestWeekdayMask: UInt64 = 0
    var nthWeekdayMask: UInt64 = 0
    var lastWeekdayMask: UInt64 = 0
    var dayOfMonthStar = false
    var dayOfWeekStar = false
    var isFixedTime = true
    /// Each field's text as written (upper case), for messages; seconds is `"0"` when omitted.
    var fieldTexts = [String](repeating: "", count: CronField.allCases.count)
    var description = ""
}

/// Parses cron expression text into bit sets; every rejection names the field, the value and what
/// is allowed.
struct CronParser {
    /// The longest expression accepted, in UTF-8 bytes.
    static let maximumLength = 1024

    private let text: String

    init(_ text: String) {
        self.text = text
    }

    /// The macros and the five fields each stands for.
    static let macros: [(name: String, fields: String)] = [
        ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"), ("@monthly", "0 0 1 * *"),
        ("@weekly", "0 0 * * 0"), ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"), ("@hourly", "0 * * * *"),
    ]

    mutating func parse() throws(TaskCoreError) -> ParsedCron {
        let bytes = Array(text.utf8)
        guard bytes.count <= Self.maximumLength else {
            throw Self.error("expression is \(bytes.count) bytes long; at most \(Self.maximumLength) bytes are allowed")
        }
        let tokens = bytes.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 }).map(Array.init)
        if let first = tokens.first, first.first == UInt8(ascii: "@") {
            return try parseMacro(tokens)
        }
        guard tokens.count == 5 || tokens.count == 6 else {
            throw Self.error("expected 5 or 6 fields, found \(tokens.count)")
        }
        var parsed = ParsedCron()
        let fields = tokens.count == 6 ? CronField.allCases : Array(CronField.allCases.dropFirst())
        if tokens.count == 5 {
            parsed.masks[CronField.second.rawValue] = 1
            parsed.fieldTexts[CronField.second.rawValue] = "0"
        }
        for (token, field) in zip(tokens, fields) {
            try parseField(token, field, into: &parsed)
        }
        parsed.description = tokens.map { Self.display($0, uppercased: true, limit: Int.max) }.joined(separator: " ")
        return parsed
    }

    private func parseMacro(_ tokens: [[UInt8]]) throws(TaskCoreError) -> ParsedCron {
        let name = Self.display(tokens[0], uppercased: false, limit: 40).lowercased()
        if name == "@reboot" {
            throw Self.error("@reboot is not supported: it names no time to fire at")
        }
        guard let macro = Self.macros.first(where: { $0.name == name }) else {
            let names = Self.macros.map(\.name)
            throw Self.error(
                "unknown macro '\(name)'; expected \(names.dropLast().joined(separator: ", ")) or \(names.last!)")
        }
        guard tokens.count == 1 else {
            throw Self.error("macro \(name) stands alone, found extra text '\(Self.display(tokens[1], uppercased: false, limit: 40))'")
        }
        var parser = CronParser(macro.fields)
        var parsed = try parser.parse()
        parsed.description = name
        return parsed
    }

    private func parseField(_ token: [UInt8], _ field: CronField, into parsed: inout ParsedCron) throws(TaskCoreError) {
        let star = token.first == UInt8(ascii: "*")
        parsed.fieldTexts[field.rawValue] = Self.display(token, uppercased: true, limit: 60)
        switch field {
        case .minute, .hour: if star { parsed.isFixedTime = false }
        case .dayOfMonth: parsed.dayOfMonthStar = star
        case .dayOfWeek: parsed.dayOfWeekStar = star
        default: break
        }
        var mask: UInt64 = 0
        for item in token.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            guard !item.isEmpty else {
                throw Self.error(field, "empty list item in '\(Self.display(token, uppercased: false, limit: 60))'")
            }
            let item = Array(item)
            if try parseExtension(item, field, into: &parsed) { continue }
            mask |= try parseRange(item, field)
        }
        if field == .dayOfWeek, mask & (1 << 7) != 0 {
            mask = (mask & ~(1 << 7)) | 1
        }
        parsed.masks[field.rawValue] = mask
    }

    /// Parses `L`, `nW` (day-of-month), `d#n` and `dL` (day-of-week); `false` when `item` is none of them.
    private func parseExtension(_ item: [UInt8], _ field: CronField, into parsed: inout ParsedCron) throws(TaskCoreError) -> Bool {
        guard field == .dayOfMonth || field == .dayOfWeek, let last = item.last.map(Self.upper) else { return false }
        let shown = Self.display(item, uppercased: false, limit: 40)
        if field == .dayOfMonth {
            if item.count == 1, last == UInt8(ascii: "L") {
                parsed.lastDayOfMonth = true
                return true
            }
            guard last == UInt8(ascii: "W"), item.count > 1 else { return false }
            let day = Array(item.dropLast())
            guard day.allSatisfy(Self.isDigit) else {
                throw Self.error(field, "'\(shown)' needs a single day before W, e.g. 15W")
            }
            let value = try parseValue(day, field)
            parsed.nearestWeekdayMask |= 1 << UInt64(value)
            return true
        }
        if let hash = item.firstIndex(of: UInt8(ascii: "#")) {
            let weekday = try parseValue(Array(item[..<hash]), field) % 7
            let countText = Array(item[(hash + 1)...])
            guard let count = Self.number(countText) else {
                throw Self.error(field, "'\(shown)' needs an occurrence 1-5 after #, e.g. 5#3")
            }
            guard (1...5).contains(count) else {
                throw Self.error(field, "occurrence \(Self.display(countText, uppercased: false, limit: 20)) in '\(shown)' is out of range 1-5")
            }
            parsed.nthWeekdayMask |= 1 << UInt64(weekday * 8 + count)
            return true
        }
        if last == UInt8(ascii: "L") {
            guard item.count > 1 else {
                throw Self.error(field, "'L' needs a weekday before it, e.g. 5L for the last Friday")
            }
            let prefix = Array(item.dropLast())
            // "SUNL" is Sunday then L, but a bare name ending in L ("JUL" is not a weekday) reads as a name.
            if !prefix.contains(UInt8(ascii: "/")) && !prefix.contains(UInt8(ascii: "-")) {
                if prefix.allSatisfy(Self.isDigit) || Self.nameValue(prefix, field) != nil {
                    let weekday = try parseValue(prefix, field) % 7
                    parsed.lastWeekdayMask |= 1 << UInt64(weekday)
                    return true
                }
            }
        }
        return false
    }

    /// Parses `*`, `v`, `a-b`, each optionally with `/step` (`v/step` means `v-max/step`).
    private func parseRange(_ item: [UInt8], _ field: CronField) throws(TaskCoreError) -> UInt64 {
        let parts = item.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard parts.count <= 2 else {
            throw Self.error(field, "'\(Self.display(item, uppercased: false, limit: 40))' has more than one step")
        }
        var step = 1
        if parts.count == 2 {
            let stepText = Array(parts[1])
            guard let value = Self.number(stepText) else {
                throw Self.error(field, "step '\(Self.display(stepText, uppercased: false, limit: 20))' is not a number")
            }
            guard value != 0 else { throw Self.error(field, "step 0 is not allowed") }
            guard value <= field.maximumStep else {
                throw Self.error(field, "step \(Self.display(stepText, uppercased: false, limit: 20)) is out of range 1-\(field.maximumStep)")
            }
            step = value
        }
        let base = Array(parts[0])
        var low = field.range.lowerBound
        var high = field.range.upperBound
        if base == [UInt8(ascii: "*")] {
            // The whole range.
        } else if let dash = base.firstIndex(of: UInt8(ascii: "-")) {
            let start = Array(base[..<dash])
            let end = Array(base[(dash + 1)...])
            guard !start.isEmpty, !end.isEmpty else {
                throw Self.error(field, "incomplete range '\(Self.display(base, uppercased: false, limit: 40))'")
            }
            low = try parseValue(start, field)
            high = try parseValue(end, field)
            guard low <= high else {
                throw Self.error(field, "range \(Self.display(base, uppercased: false, limit: 40)) is reversed; the start must not exceed the end")
            }
        } else {
            low = try parseValue(base, field)
            if parts.count == 1 { high = low }
        }
        var mask: UInt64 = 0
        for value in stride(from: low, through: high, by: step) {
            mask |= 1 << UInt64(value)
        }
        return mask
    }

    /// A number or (for month and day-of-week) a three-letter name, checked against the field's range.
    private func parseValue(_ bytes: [UInt8], _ field: CronField) throws(TaskCoreError) -> Int {
        let shown = Self.display(bytes, uppercased: false, limit: 40)
        if !bytes.isEmpty, bytes.allSatisfy(Self.isDigit) {
            guard let value = Self.number(bytes), field.range.contains(value) else {
                throw Self.error(field, "\(shown) is out of range \(field.range.lowerBound)-\(field.range.upperBound)")
            }
            return value
        }
        if !field.names.isEmpty, !bytes.isEmpty, bytes.allSatisfy(Self.isLetter) {
            guard let value = Self.nameValue(bytes, field) else {
                throw Self.error(field, "unknown name '\(shown)'")
            }
            return value
        }
        let what = field.names.isEmpty ? "a number" : "a number or name"
        throw Self.error(field, "'\(shown)' is not \(what) (allowed: \(field.allowedDescription))")
    }

    private static func nameValue(_ bytes: [UInt8], _ field: CronField) -> Int? {
        guard bytes.count == 3 else { return nil }
        let name = String(decoding: bytes.map(upper), as: UTF8.self)
        return field.names.firstIndex(of: name).map { $0 + field.firstNameValue }
    }

    /// A decimal number of ASCII digits; `nil` when empty, not digits or implausibly long.
    private static func number(_ bytes: [UInt8]) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 9, bytes.allSatisfy(isDigit) else {
            return bytes.count > 9 && bytes.allSatisfy(isDigit) ? Int.max : nil
        }
        return bytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    private static func upper(_ byte: UInt8) -> UInt8 { byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte }

    /// Text for messages and the description: valid UTF-8 as is (control characters escaped), cut at `limit` bytes.
    static func display(_ bytes: [UInt8], uppercased: Bool, limit: Int) -> String {
        let cut = bytes.count > limit ? Array(bytes.prefix(limit)) : bytes
        var text = String(decoding: uppercased ? cut.map(upper) : cut, as: UTF8.self)
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            text = String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? $0.escaped(asASCII: true) : String($0) }.joined())
        }
        return bytes.count > limit ? text + "…" : text
    }

    static func error(_ message: String) -> TaskCoreError {
        TaskCoreError(code: .invalidCron, message: message)
    }

    static func error(_ field: CronField, _ message: String) -> TaskCoreError {
        TaskCoreError(code: .invalidCron, message: "\(field.name): \(message)", field: field.name)
    }
}
