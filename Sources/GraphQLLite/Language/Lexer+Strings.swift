extension Lexer {
    /// Reads a `"…"` string with escapes (`\n`, `\u00E9`, `\u{1F600}`, surrogate pairs).
    mutating func readString(_ start: Int) throws(GraphQLError) -> Token {
        var index = start + 1
        var chunkStart = index
        var value: [UInt8] = []
        var hasEscapes = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let string: String
                if hasEscapes {
                    value.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[chunkStart..<index]))
                    string = String(decoding: value, as: UTF8.self)
                } else {
                    string = text(chunkStart, index)
                }
                offset = index + 1
                return Token(kind: .string, start: start, end: offset, position: tokenPosition(at: start), value: string)
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                value.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[chunkStart..<index]))
                index = try readEscape(at: index, into: &value)
                chunkStart = index
                continue
            }
            index += 1
        }
        throw error("Unterminated string.", at: index)
    }

    /// Decodes the escape at `index` (a backslash) into `value`; returns the index after it.
    private func readEscape(at index: Int, into value: inout [UInt8]) throws(GraphQLError) -> Int {
        guard index + 1 < bytes.count else { throw error("Unterminated string.", at: index + 1) }
        let simple: UInt8?
        switch bytes[index + 1] {
        case UInt8(ascii: "\""): simple = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): simple = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): simple = UInt8(ascii: "/")
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): simple = nil
        default:
            let end = min(bytes.count, index + 2)
            throw error("Invalid character escape sequence: \"\(text(index, end))\".", at: index)
        }
        if let simple {
            value.append(simple)
            return index + 2
        }
        // \u{…} with up to 6 hex digits.
        if index + 2 < bytes.count, bytes[index + 2] == UInt8(ascii: "{") {
            var cursor = index + 3
            var scalar: UInt32 = 0
            var digits = 0
            while cursor < bytes.count, let digit = hexValue(bytes[cursor]), digits < 7 {
                scalar = scalar << 4 | digit
                digits += 1
                cursor += 1
            }
            guard digits > 0, cursor < bytes.count, bytes[cursor] == UInt8(ascii: "}"), let unicode = Unicode.Scalar(scalar) else {
                let end = min(bytes.count, cursor + 1)
                throw error("Invalid Unicode escape sequence: \"\(text(index, end))\".", at: index)
            }
            value.append(contentsOf: Array(String(Character(unicode)).utf8))
            return cursor + 1
        }
        guard let unit = fourHex(at: index + 2) else {
            let end = min(bytes.count, index + 6)
            throw error("Invalid Unicode escape sequence: \"\(text(index, end))\".", at: index)
        }
        if unit >= 0xD800, unit <= 0xDBFF {
            // A leading surrogate must be followed by \u and a trailing one.
            if index + 12 <= bytes.count, bytes[index + 6] == UInt8(ascii: "\\"), bytes[index + 7] == UInt8(ascii: "u"),
               let trail = fourHex(at: index + 8), trail >= 0xDC00, trail <= 0xDFFF,
               let unicode = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (trail - 0xDC00)) {
                value.append(contentsOf: Array(String(Character(unicode)).utf8))
                return index + 12
            }
            throw error("Invalid Unicode escape sequence: \"\(text(index, min(bytes.count, index + 6)))\".", at: index)
        }
        guard let unicode = Unicode.Scalar(unit) else {
            throw error("Invalid Unicode escape sequence: \"\(text(index, min(bytes.count, index + 6)))\".", at: index)
        }
        value.append(contentsOf: Array(String(Character(unicode)).utf8))
        return index + 6
    }

    private func fourHex(at index: Int) -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var result: UInt32 = 0
        for cursor in index..<(index + 4) {
            guard let digit = hexValue(bytes[cursor]) else { return nil }
            result = result << 4 | digit
        }
        return result
    }

    private func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - 48)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - 87)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - 55)
        default: nil
        }
    }

    /// Reads a `"""…"""` block string and applies the spec's indentation removal.
    mutating func readBlockString(_ start: Int) throws(GraphQLError) -> Token {
        let startPosition = tokenPosition(at: start)
        var index = start + 3
        var raw: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\""), index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "\""), bytes[index + 2] == UInt8(ascii: "\"") {
                offset = index + 3
                let value = Lexer.blockStringValue(String(decoding: raw, as: UTF8.self))
                return Token(kind: .blockString, start: start, end: offset, position: startPosition, value: value)
            }
            if byte == UInt8(ascii: "\\"), index + 3 < bytes.count, bytes[index + 1] == UInt8(ascii: "\""),
               bytes[index + 2] == UInt8(ascii: "\""), bytes[index + 3] == UInt8(ascii: "\"") {
                raw.append(contentsOf: [34, 34, 34])
                index += 4
                continue
            }
            raw.append(byte)
            index += 1
            if byte == UInt8(ascii: "\n") {
                offset = index
                newLine()
            } else if byte == UInt8(ascii: "\r") {
                if index < bytes.count, bytes[index] == UInt8(ascii: "\n") {
                    raw.append(bytes[index])
                    index += 1
                }
                offset = index
                newLine()
            }
        }
        throw error("Unterminated string.", at: index)
    }

    /// The spec's BlockStringValue: split lines, remove common indentation, trim blank first/last lines.
    static func blockStringValue(_ raw: String) -> String {
        var lines: [Substring] = []
        var current = raw[...]
        while let index = current.firstIndex(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            lines.append(current[..<index])
            current = current[current.index(after: index)...]
        }
        lines.append(current)
        func indent(_ line: Substring) -> Int { line.prefix { $0 == " " || $0 == "\t" }.count }
        var common: Int?
        for line in lines.dropFirst() {
            let width = indent(line)
            guard width < line.count else { continue }
            if width < (common ?? .max) { common = width }
        }
        var result = lines.enumerated().map { index, line in
            index > 0 ? line.dropFirst(common ?? 0) : line
        }
        while let first = result.first, first.allSatisfy({ $0 == " " || $0 == "\t" }) { result.removeFirst() }
        while let last = result.last, last.allSatisfy({ $0 == " " || $0 == "\t" }) { result.removeLast() }
        return result.joined(separator: "\n")
    }
}
