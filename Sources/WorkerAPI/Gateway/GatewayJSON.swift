import TaskCore

/// A small JSON writer for the gateway's own bodies (health, request errors) and for ``JSONValue``s.
///
/// Objects given as `[(String, JSONValue)]` keep their order; a ``JSONValue/object(_:)`` is written
/// with sorted keys so that output is deterministic.
enum GatewayJSON {
    /// Appends `value` as JSON text to `out`.
    static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let number): out.append(contentsOf: String(number).utf8)
        case .double(let number): writeDouble(number, into: &out)
        case .string(let text): writeString(text, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            writeObject(members.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, into: &out)
        }
    }

    /// Appends an object with members in the given order.
    static func writeObject(_ members: [(String, JSONValue)], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (index, member) in members.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            writeString(member.0, into: &out)
            out.append(UInt8(ascii: ":"))
            write(member.1, into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// An ordered object as bytes.
    static func object(_ members: [(String, JSONValue)]) -> [UInt8] {
        var out: [UInt8] = []
        writeObject(members, into: &out)
        return out
    }

    /// A finite double as a JSON number (integral values without a fraction); non-finite as `null`.
    static func writeDouble(_ number: Double, into out: inout [UInt8]) {
        guard number.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        if number == number.rounded(), abs(number) < 1e15 {
            out.append(contentsOf: String(Int64(number)).utf8)
        } else {
            out.append(contentsOf: "\(number)".utf8)
        }
    }

    /// Appends a JSON string literal with the required escapes.
    static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// A GraphQL-shaped error body: `{"errors":[{"message", "extensions":{"code"}}]}`.
    static func errorBody(message: String, code: String) -> [UInt8] {
        var out = Array("{\"errors\":[{\"message\":".utf8)
        writeString(message, into: &out)
        out.append(contentsOf: ",\"extensions\":{\"code\":".utf8)
        writeString(code, into: &out)
        out.append(contentsOf: "}}]}".utf8)
        return out
    }
}
