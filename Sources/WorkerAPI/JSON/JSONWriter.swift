public import Foundation
public import TaskCore

/// Writes JSON straight into a byte buffer: the encoder on the REST hot path (no `JSONEncoder`,
/// no intermediate strings for numbers and timestamps).
///
/// Object members of a ``JSONValue`` are written with their keys sorted, so output is stable.
/// Non-finite doubles, which JSON cannot represent, are written as `null`.
public struct JSONWriter: Sendable {
    /// The bytes written so far (UTF-8).
    public var bytes: [UInt8]

    /// Creates an empty writer.
    /// - Parameter capacity: bytes to reserve up front.
    public init(capacity: Int = 512) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends ASCII text as it is (punctuation and keys known at compile time).
    @inline(__always)
    public mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends a quoted, escaped JSON string.
    public mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for position in 0..<utf8.count {
                let byte = utf8[position]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < position {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<position]))
                }
                appendEscaped(byte)
                runStart = position + 1
            }
            if runStart < utf8.count {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): raw("\\\"")
        case UInt8(ascii: "\\"): raw("\\\\")
        case 0x0A: raw("\\n")
        case 0x0D: raw("\\r")
        case 0x09: raw("\\t")
        case 0x08: raw("\\b")
        case 0x0C: raw("\\f")
        default:
            raw("\\u00")
            let hex: StaticString = "0123456789abcdef"
            hex.withUTF8Buffer { digits in
                bytes.append(digits[Int(byte >> 4)])
                bytes.append(digits[Int(byte & 0x0F)])
            }
        }
    }

    /// Appends an integer.
    public mutating func integer(_ value: Int64) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            unsigned(value.magnitude)
        } else {
            unsigned(UInt64(value))
        }
    }

    /// Appends an integer.
    @inline(__always)
    public mutating func integer(_ value: Int) { integer(Int64(value)) }

    private mutating func unsigned(_ value: UInt64) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(value))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { scratch in
            var position = 20
            var rest = value
            repeat {
                position -= 1
                scratch[position] = UInt8(ascii: "0") &+ UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[position..<20]))
        }
    }

    /// Appends a double; integral values print without a fraction (`5`), non-finite ones as `null`.
    public mutating func double(_ value: Double) {
        guard value.isFinite else {
            raw("null")
            return
        }
        if value == value.rounded(), abs(value) < 1e15 {
            integer(Int64(value))
            return
        }
        bytes.append(contentsOf: value.description.utf8)
    }

    /// Appends a Boolean.
    public mutating func bool(_ value: Bool) {
        if value { raw("true") } else { raw("false") }
    }

    /// Appends `null`.
    public mutating func null() { raw("null") }

    /// Appends any JSON value (object keys sorted).
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): bool(flag)
        case .integer(let number): integer(number)
        case .double(let number): double(number)
        case .string(let text): string(text)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                self.value(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            if members.count == 1, let (key, member) = members.first {
                string(key)
                bytes.append(UInt8(ascii: ":"))
                self.value(member)
            } else if !members.isEmpty {
                for (position, key) in members.keys.sorted().enumerated() {
                    if position > 0 { bytes.append(UInt8(ascii: ",")) }
                    string(key)
                    bytes.append(UInt8(ascii: ":"))
                    self.value(members[key]!)
                }
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Appends a contract timestamp (`"2026-11-29T02:00:00.000Z"`, quoted) without building a string.
    public mutating func timestamp(_ date: Date) {
        let totalMillis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var days = totalMillis / 86_400_000
        var millisOfDay = totalMillis % 86_400_000
        if millisOfDay < 0 {
            millisOfDay += 86_400_000
            days -= 1
        }
        let (year, month, day) = Timestamp.civilDate(fromDays: days)
        guard year >= 0, year <= 9999 else {
            string(Timestamp.format(date))
            return
        }
        bytes.append(UInt8(ascii: "\""))
        fixed(Int(year), digits: 4)
        bytes.append(UInt8(ascii: "-"))
        fixed(month, digits: 2)
        bytes.append(UInt8(ascii: "-"))
        fixed(day, digits: 2)
        bytes.append(UInt8(ascii: "T"))
        fixed(Int(millisOfDay / 3_600_000), digits: 2)
        bytes.append(UInt8(ascii: ":"))
        fixed(Int(millisOfDay / 60_000 % 60), digits: 2)
        bytes.append(UInt8(ascii: ":"))
        fixed(Int(millisOfDay / 1000 % 60), digits: 2)
        bytes.append(UInt8(ascii: "."))
        fixed(Int(millisOfDay % 1000), digits: 3)
        raw("Z\"")
    }

    /// Appends a timestamp, or `null`.
    public mutating func timestamp(_ date: Date?) {
        if let date { timestamp(date) } else { raw("null") }
    }

    @inline(__always)
    private mutating func fixed(_ value: Int, digits: Int) {
        switch digits {
        case 2:
            bytes.append(UInt8(ascii: "0") &+ UInt8(value / 10 % 10))
            bytes.append(UInt8(ascii: "0") &+ UInt8(value % 10))
        case 3:
            bytes.append(UInt8(ascii: "0") &+ UInt8(value / 100 % 10))
            bytes.append(UInt8(ascii: "0") &+ UInt8(value / 10 % 10))
            bytes.append(UInt8(ascii: "0") &+ UInt8(value % 10))
        default:
            bytes.append(UInt8(ascii: "0") &+ UInt8(value / 1000 % 10))
            bytes.append(UInt8(ascii: "0") &+ UInt8(value / 100 % 10))
            bytes.append(UInt8(ascii: "0") &+ UInt8(value / 10 % 10))
            bytes.append(UInt8(ascii: "0") &+ UInt8(value % 10))
        }
    }
}
