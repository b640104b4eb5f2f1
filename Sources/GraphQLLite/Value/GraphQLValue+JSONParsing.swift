extension GraphQLValue {
    /// Parses JSON (RFC 8259) bytes, e.g. a request's `variables`.
    ///
    /// Safe on hostile input: nesting deeper than `maxDepth` and invalid UTF-8 are errors.
    /// Integers that fit an `Int` become ``int(_:)``; other numbers become ``float(_:)``.
    /// - Parameters:
    ///   - json: the UTF-8 bytes.
    ///   - maxDepth: the deepest nesting of arrays and objects allowed.
    /// - Throws: a ``GraphQLError`` with code `BAD_REQUEST` saying what is wrong and at which byte.
    public init(json: [UInt8], maxDepth: Int = 128) throws(GraphQLError) {
        var parser = JSONParser(bytes: json, maxDepth: maxDepth)
        self = try parser.parseDocument()
    }

    /// Parses JSON text.
    /// - Parameters:
    ///   - json: the text.
    ///   - maxDepth: the deepest nesting allowed.
    /// - Throws: a ``GraphQLError`` with code `BAD_REQUEST`.
    public init(json: String, maxDepth: Int = 128) throws(GraphQLError) {
        try self.init(json: Array(json.utf8), maxDepth: maxDepth)
    }
}

/// A small strict JSON parser over bytes.
struct JSONParser {
    let bytes: [UInt8]
    let maxDepth: Int
    var index = 0
    var depth = 0

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    func fail(_ message: String) -> GraphQLError {
        GraphQLError("\(message) at byte \(index).", code: "BAD_REQUEST")
    }

    mutating func parseDocument() throws(GraphQLError) -> GraphQLValue {
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw fail("Unexpected data after the JSON value") }
        return value
    }

    mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
    }

    mutating func parseValue() throws(GraphQLError) -> GraphQLValue {
        skipWhitespace()
        guard index < bytes.count else { throw fail("Unexpected end of JSON") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            depth += 1
            guard depth <= maxDepth else { throw fail("JSON nesting exceeds the maximum depth of \(maxDepth)") }
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return .object(GraphQLObject())
            }
            // A repeated key keeps its first place and takes the last value. Keys are looked up by a
            // scan while the object is small and by hash beyond that: a scan per key made a 1 MiB
            // object of 60,000 keys cost minutes (quadratic; issue 12).
            var keys: [String] = []
            var values: [GraphQLValue] = []
            var positions: [String: Int] = [:]
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("Expected a string key") }
                let key = try parseString()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("Expected ':'") }
                index += 1
                let value = try parseValue()
                if keys.count >= 16, positions.isEmpty {
                    for (position, known) in keys.enumerated() { positions[known] = position }
                }
                if let position = positions.isEmpty ? keys.firstIndex(of: key) : positions[key] {
                    values[position] = value
                } else {
                    if !positions.isEmpty { positions[key] = keys.count }
                    keys.append(key)
                    values.append(value)
                }
                skipWhitespace()
                guard index < bytes.count else { throw fail("Unexpected end of JSON") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; break }
                throw fail("Expected ',' or '}'")
            }
            depth -= 1
            return .object(GraphQLObject(keys: keys, values: values))
        case UInt8(ascii: "["):
            index += 1
            depth += 1
            guard depth <= maxDepth else { throw fail("JSON nesting exceeds the maximum depth of \(maxDepth)") }
            var list: [GraphQLValue] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return .list(list)
            }
            while true {
                list.append(try parseValue())
                skipWhitespace()
                guard index < bytes.count else { throw fail("Unexpected end of JSON") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; break }
                throw fail("Expected ',' or ']'")
            }
            depth -= 1
            return .list(list)
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        default:
            throw fail("Unexpected character")
        }
    }

    mutating func literal(_ word: StaticString) throws(GraphQLError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("Invalid literal") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw fail("Invalid literal") }
        index += count
    }

    mutating func parseNumber() throws(GraphQLError) -> GraphQLValue {
        let start = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw fail("Invalid number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("Invalid number") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("Invalid number") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let int = Int(text) { return .int(int) }
        guard let double = Double(text) else { throw fail("Invalid number") }
        return .float(double)
    }

    mutating func parseString() throws(GraphQLError) -> String {
        index += 1
        var output: [UInt8] = []
        var chunkStart = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                output.append(contentsOf: bytes[chunkStart..<index])
                index += 1
                guard let string = String(validating: output, as: UTF8.self) else { throw fail("Invalid UTF-8 in string") }
                return string
            }
            if byte < 0x20 { throw fail("Unescaped control character in string") }
            if byte == UInt8(ascii: "\\") {
                output.append(contentsOf: bytes[chunkStart..<index])
                guard index + 1 < bytes.count else { throw fail("Unterminated string") }
                let escape = bytes[index + 1]
                index += 2
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
                case UInt8(ascii: "b"): output.append(0x08)
                case UInt8(ascii: "f"): output.append(0x0C)
                case UInt8(ascii: "n"): output.append(0x0A)
                case UInt8(ascii: "r"): output.append(0x0D)
                case UInt8(ascii: "t"): output.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if scalar >= 0xD800, scalar <= 0xDBFF {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw fail("Unpaired surrogate in string")
                        }
                        index += 2
                        let trail = try hex4()
                        guard trail >= 0xDC00, trail <= 0xDFFF else { throw fail("Unpaired surrogate in string") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (trail - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw fail("Invalid \\u escape in string") }
                    output.append(contentsOf: Array(String(Character(unicode)).utf8))
                default:
                    throw fail("Invalid escape in string")
                }
                chunkStart = index
                continue
            }
            index += 1
        }
        throw fail("Unterminated string")
    }

    mutating func hex4() throws(GraphQLError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("Invalid \\u escape in string") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - 55)
            default: throw fail("Invalid \\u escape in string")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}
