/// Turns UTF-8 bytes into tokens, one at a time, skipping whitespace, commas and comments.
///
/// Works on a buffer borrowed for the duration of a parse. Every error is a graphql-js style
/// `Syntax Error: …` with its line and column.
package struct Lexer {
    package let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0
    var line: Int32 = 1
    var lineStart = 0
    private var tokenCount = 0
    private var cachedLineStart = -1
    private var cachedOffset = 0
    private var cachedColumn: Int32 = 1
    private let maxTokens: Int

    package init(bytes: UnsafeBufferPointer<UInt8>, maxTokens: Int) {
        self.bytes = bytes
        self.maxTokens = maxTokens
        // A byte-order mark at the start is ignored.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { offset = 3; lineStart = 3 }
    }

    /// The text of `start..<end`.
    @inline(__always)
    package func text(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// The 1-based position of byte `at` on the current line (columns count Unicode scalars).
    package func position(at: Int) -> SourcePosition {
        var column: Int32 = 1
        var index = lineStart
        while index < at {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return SourcePosition(line: line, column: column)
    }

    /// Like ``position(at:)`` but incremental along the line, so a long line stays linear.
    @inline(__always)
    mutating func tokenPosition(at: Int) -> SourcePosition {
        if cachedLineStart != lineStart || cachedOffset > at {
            cachedLineStart = lineStart
            cachedOffset = lineStart
            cachedColumn = 1
        }
        var index = cachedOffset
        var column = cachedColumn
        while index < at {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        cachedOffset = at
        cachedColumn = column
        return SourcePosition(line: line, column: column)
    }

    package func error(_ message: String, at: Int) -> GraphQLError {
        syntaxError(message, position(at: at))
    }

    /// Reads the next token.
    package mutating func next() throws(GraphQLError) -> Token {
        skipIgnored()
        let start = offset
        guard start < bytes.count else {
            return Token(kind: .eof, start: start, end: start, position: tokenPosition(at: start))
        }
        tokenCount += 1
        if tokenCount > maxTokens {
            throw error("Document contains more than \(maxTokens) tokens. Parsing aborted.", at: start)
        }
        let byte = bytes[start]
        let kind: TokenKind
        switch byte {
        case UInt8(ascii: "!"): kind = .bang
        case UInt8(ascii: "$"): kind = .dollar
        case UInt8(ascii: "&"): kind = .amp
        case UInt8(ascii: "("): kind = .parenL
        case UInt8(ascii: ")"): kind = .parenR
        case UInt8(ascii: ":"): kind = .colon
        case UInt8(ascii: "="): kind = .equals
        case UInt8(ascii: "@"): kind = .at
        case UInt8(ascii: "["): kind = .bracketL
        case UInt8(ascii: "]"): kind = .bracketR
        case UInt8(ascii: "{"): kind = .braceL
        case UInt8(ascii: "|"): kind = .pipe
        case UInt8(ascii: "}"): kind = .braceR
        case UInt8(ascii: "."):
            if start + 2 < bytes.count, bytes[start + 1] == UInt8(ascii: "."), bytes[start + 2] == UInt8(ascii: ".") {
                offset = start + 3
                return Token(kind: .spread, start: start, end: offset, position: tokenPosition(at: start))
            }
            throw error("Unexpected character: \(describeCharacter(at: start)).", at: start)
        case UInt8(ascii: "\""):
            if start + 2 < bytes.count, bytes[start + 1] == UInt8(ascii: "\""), bytes[start + 2] == UInt8(ascii: "\"") {
                return try readBlockString(start)
            }
            return try readString(start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try readNumber(start)
        default:
            if isNameStart(byte) {
                var end = start + 1
                while end < bytes.count, isNameContinue(bytes[end]) { end += 1 }
                offset = end
                return Token(kind: .name, start: start, end: end, position: tokenPosition(at: start))
            }
            if byte == UInt8(ascii: "'") {
                throw error("Unexpected single quote character ('), did you mean to use a double quote (\")?", at: start)
            }
            throw error("Unexpected character: \(describeCharacter(at: start)).", at: start)
        }
        offset = start + 1
        return Token(kind: kind, start: start, end: offset, position: tokenPosition(at: start))
    }

    private mutating func skipIgnored() {
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: ","):
                offset += 1
            case UInt8(ascii: "\n"):
                offset += 1
                newLine()
            case UInt8(ascii: "\r"):
                offset += 1
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "\n") { offset += 1 }
                newLine()
            case UInt8(ascii: "#"):
                while offset < bytes.count, bytes[offset] != UInt8(ascii: "\n"), bytes[offset] != UInt8(ascii: "\r") { offset += 1 }
            case 0xEF where offset + 2 < bytes.count && bytes[offset + 1] == 0xBB && bytes[offset + 2] == 0xBF:
                offset += 3
            default:
                return
            }
        }
    }

    @inline(__always)
    mutating func newLine() {
        line += 1
        lineStart = offset
    }

    /// `"x"` for printable ASCII, `U+XXXX` otherwise, `<EOF>` past the end (as graphql-js prints).
    package func describeCharacter(at index: Int) -> String {
        guard index < bytes.count else { return "<EOF>" }
        let byte = bytes[index]
        if byte >= 0x20, byte < 0x7F {
            return byte == UInt8(ascii: "\"") ? "'\"'" : "\"\(Character(Unicode.Scalar(byte)))\""
        }
        var scalarValue = UInt32(byte)
        if byte >= 0x80 {
            var iterator = UnsafeBufferPointer(rebasing: bytes[index...]).makeIterator()
            var decoder = UTF8()
            if case .scalarValue(let scalar) = decoder.decode(&iterator) { scalarValue = scalar.value }
        }
        let hex = String(scalarValue, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private mutating func readNumber(_ start: Int) throws(GraphQLError) -> Token {
        var index = start
        var isFloat = false
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) {
                throw error("Invalid number, unexpected digit after 0: \(describeCharacter(at: index)).", at: index)
            }
        } else {
            index = try readDigits(index)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isFloat = true
            index = try readDigits(index + 1)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isFloat = true
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            index = try readDigits(index)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") || isNameStart(bytes[index]) {
            throw error("Invalid number, expected digit but got: \(describeCharacter(at: index)).", at: index)
        }
        offset = index
        return Token(kind: isFloat ? .float : .int, start: start, end: index, position: tokenPosition(at: start))
    }

    private func readDigits(_ start: Int) throws(GraphQLError) -> Int {
        guard start < bytes.count, isDigit(bytes[start]) else {
            throw error("Invalid number, expected digit but got: \(describeCharacter(at: start)).", at: start)
        }
        var index = start + 1
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        return index
    }
}

@inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

@inline(__always) func isNameStart(_ byte: UInt8) -> Bool {
    (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95
}

@inline(__always) func isNameContinue(_ byte: UInt8) -> Bool { isNameStart(byte) || isDigit(byte) }

/// A syntax error in graphql-js's wording, with code `GRAPHQL_PARSE_FAILED`.
package func syntaxError(_ message: String, _ position: SourcePosition) -> GraphQLError {
    GraphQLError("Syntax Error: \(message)", code: "GRAPHQL_PARSE_FAILED", locations: [position.location])
}
