public import TaskCore

/// A strict JSON parser (RFC 8259) for request bodies, built to survive hostile input.
///
/// - Nesting deeper than ``maxDepth`` (default 64) is refused, so recursion is bounded.
/// - Invalid UTF-8, unescaped control characters, lone surrogate escapes, leading zeros, trailing
///   commas, `NaN`/`Infinity` and trailing garbage are refused.
/// - Integers that fit in `Int64` become ``JSONValue/integer(_:)``; a whole number beyond `Int64`
///   (23 digits) is refused rather than rounded. Other numbers become ``JSONValue/double(_:)``; a
///   number too large for a `Double` (`1e400`) or too small for a normal one (`1e-400`, which would
///   become 0) is refused, and so is a number literal longer than 1,000 characters. `-0` is the
///   number 0 (JSON does not tell them apart, and neither do the stores).
/// - A key that appears twice in one object is refused (no "last one wins" ambiguity between
///   parsers).
///
/// Every error is a ``TaskCoreError`` with code `invalidArgument`, field `"body"` and a message
/// naming the problem and its line and column: `Malformed JSON: unexpected character '}' at line 1, column 9`.
public struct JSONReader: Sendable {
    /// The deepest nesting of arrays and objects accepted.
    public var maxDepth: Int

    /// Creates a reader.
    /// - Parameter maxDepth: the deepest nesting of arrays and objects accepted (default 64).
    public init(maxDepth: Int = 64) {
        self.maxDepth = maxDepth
    }

    /// Parses one JSON document.
    /// - Parameter bytes: UTF-8 text.
    /// - Returns: the value.
    /// - Throws: ``TaskCoreError`` with code `invalidArgument` describing the first problem.
    /// - Complexity: O(n) in the length of `bytes`.
    public func parse(_ bytes: [UInt8]) throws(TaskCoreError) -> JSONValue {
        var parser = JSONByteParser(bytes: bytes, maxDepth: maxDepth)
        return try parser.parseDocument()
    }

    /// Parses one JSON document from a string.
    /// - Throws: ``TaskCoreError`` with code `invalidArgument` describing the first problem.
    public func parse(_ text: String) throws(TaskCoreError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

/// The recursive-descent parser behind ``JSONReader``.
struct JSONByteParser {
    let bytes: [UInt8]
    let maxDepth: Int
    var index = 0

    static let maxNumberLength = 1000

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(TaskCoreError) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw failure("the body is empty, expected a JSON value") }
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw unexpected("after the JSON value") }
        return value
    }

    // MARK: Values

    mutating func parseValue(depth: Int) throws(TaskCoreError) -> JSONValue {
        guard index < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw unexpected(nil)
        }
    }

    mutating func parseObject(depth: Int) throws(TaskCoreError) -> JSONValue {
        guard depth <= maxDepth else { throw failure("nesting deeper than \(maxDepth) levels") }
        index += 1  // {
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input inside an object") }
            guard bytes[index] == UInt8(ascii: "\"") else { throw unexpected("where an object key was expected") }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw index < bytes.count ? unexpected("where ':' was expected") : failure("unexpected end of input")
            }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            guard members.updateValue(value, forKey: key) == nil else {
                throw failure("duplicate key '\(TaskCoreError.excerpt(key))'")
            }
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input inside an object") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(members)
            default: throw unexpected("where ',' or '}' was expected")
            }
        }
    }

    mutating func parseArray(depth: Int) throws(TaskCoreError) -> JSONValue {
        guard depth <= maxDepth else { throw failure("nesting deeper than \(maxDepth) levels") }
        index += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw failure("unexpected end of input inside an array") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            default: throw unexpected("where ',' or ']' was expected")
            }
        }
    }

    mutating func literal(_ word: StaticString) throws(TaskCoreError) {
        let count = word.utf8CodeUnitCount
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
        guard index + count <= bytes.count, (0..<count).allSatisfy({ bytes[index + $0] == expected[$0] }) else {
            throw failure("invalid literal, expected '\(word)'")
        }
        index += count
    }

    // MARK: Numbers

    mutating func parseNumber() throws(TaskCoreError) -> JSONValue {
        let start = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw unexpected("in a number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw failure("leading zeros are not allowed in numbers") }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw unexpected("after a decimal point") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw unexpected("in an exponent") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        guard index - start <= Self.maxNumberLength else {
            throw failure("a number literal longer than \(Self.maxNumberLength) characters")
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        let shown = text.count > 40 ? String(text.prefix(40)) + "..." : text
        if isInteger {
            if let value = integer(from: start, to: index) { return .integer(value) }
            // A whole number beyond 64 bits would silently lose digits as a double (issue 12, W6).
            throw failure(
                "the integer \(shown) is out of range -9223372036854775808...9223372036854775807; send it as a string")
        }
        guard let value = Double(text), value.isFinite else {
            throw failure("the number \(shown) is out of range")
        }
        // Refuse underflow as overflow is refused: `1e-400` is not 0 (issue 12, W6). A literal whose digits
        // are all zero (`0.0`, `-0e5`) is a true zero; anything else must keep a normal double's precision.
        if !value.isNormal, value != 0 || hasNonZeroDigit(from: start, to: index) {
            throw failure("the number \(shown) is too small to represent (below 2.2e-308 in magnitude)")
        }
        return .double(value)
    }

    /// The integer in `bytes[start..<end]`, or `nil` when it does not fit in `Int64`.
    func integer(from start: Int, to end: Int) -> Int64? {
        var position = start
        let negative = bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        var value: Int64 = 0
        while position < end {
            let digit = Int64(bytes[position] &- UInt8(ascii: "0"))
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = next
            position += 1
        }
        return value
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Whether the mantissa of the number literal in `bytes[start..<end]` has a digit other than 0.
    func hasNonZeroDigit(from start: Int, to end: Int) -> Bool {
        for position in start..<end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") { return false }
            if byte >= UInt8(ascii: "1"), byte <= UInt8(ascii: "9") { return true }
        }
        return false
    }

    // MARK: Whitespace and errors

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    func failure(_ problem: String) -> TaskCoreError {
        var line = 1
        var column = 1
        for byte in bytes[0..<min(index, bytes.count)] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return TaskCoreError(
            code: .invalidArgument, message: "Malformed JSON: \(problem) at line \(line), column \(column)", field: "body")
    }

    func unexpected(_ context: String?) -> TaskCoreError {
        guard index < bytes.count else { return failure("unexpected end of input" + (context.map { " \($0)" } ?? "")) }
        let byte = bytes[index]
        let shown = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
        return failure("unexpected character \(shown)" + (context.map { " \($0)" } ?? ""))
    }
}
