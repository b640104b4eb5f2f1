extension GraphQLValue {
    /// The value as compact JSON bytes (UTF-8).
    /// - Complexity: O(n) in the size of the value.
    public func jsonBytes() -> [UInt8] {
        var writer = JSONWriter()
        writer.write(self)
        return writer.bytes
    }

    /// The value as compact JSON text.
    public func jsonString() -> String { String(decoding: jsonBytes(), as: UTF8.self) }
}

extension GraphQLResponse {
    /// The response as JSON bytes: `{"errors":[…],"data":…}` (errors first, as the spec suggests;
    /// `data` is left out when execution did not start).
    public func jsonBytes() -> [UInt8] {
        var writer = JSONWriter()
        writer.write(self)
        return writer.bytes
    }

    /// The response as JSON bytes, or `nil` when they would be more than `limit` bytes. Writing
    /// stops there, so a response too large to send is never held whole (issue 12: large values,
    /// such as task payloads, repeated under many aliases stay within the value budget).
    /// - Complexity: O(min(n, `limit`)) in the size of the response.
    public func jsonBytes(limit: Int) -> [UInt8]? {
        var writer = JSONWriter()
        writer.limit = limit
        writer.write(self)
        return writer.exceeded ? nil : writer.bytes
    }

    /// The response as JSON text.
    public func jsonString() -> String { String(decoding: jsonBytes(), as: UTF8.self) }
}

extension GraphQLError {
    /// The error as a response value: `{"message","locations","path","extensions"}`.
    public var graphQLValue: GraphQLValue {
        var object = GraphQLObject()
        object.append("message", .string(message))
        if !locations.isEmpty {
            object.append("locations", .list(locations.map { ["line": .int($0.line), "column": .int($0.column)] }))
        }
        if !path.isEmpty {
            object.append("path", .list(path.map {
                switch $0 {
                case .key(let key): .string(key)
                case .index(let index): .int(index)
                }
            }))
        }
        if !extensions.isEmpty { object.append("extensions", .object(extensions)) }
        return .object(object)
    }
}

/// Appends JSON to a byte buffer.
package struct JSONWriter {
    package var bytes: [UInt8] = []
    /// The most bytes to write: beyond it writing stops (after at most a few bytes more) and
    /// ``exceeded`` is set; ``bytes`` is then incomplete.
    package var limit = Int.max
    /// Whether more than ``limit`` bytes were asked for.
    package private(set) var exceeded = false

    package init() { bytes.reserveCapacity(1024) }

    package mutating func write(_ response: GraphQLResponse) {
        bytes.append(UInt8(ascii: "{"))
        var needsComma = false
        if !response.errors.isEmpty {
            append("\"errors\":[")
            for (index, error) in response.errors.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(error.graphQLValue)
            }
            bytes.append(UInt8(ascii: "]"))
            needsComma = true
        }
        if let data = response.data {
            if needsComma { bytes.append(UInt8(ascii: ",")) }
            append("\"data\":")
            write(data)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    package mutating func write(_ value: GraphQLValue) {
        if bytes.count > limit { exceeded = true }
        if exceeded { return }
        switch value {
        case .null: append("null")
        case .bool(let bool): append(bool ? "true" : "false")
        case .int(let int): writeInt(int)
        case .float(let double):
            if double.isFinite {
                if double == double.rounded(), abs(double) < 1e15 {
                    writeInt(Int(double))
                    append(".0")
                } else {
                    append(double.description)
                }
            } else {
                append("null")
            }
        case .string(let string): writeString(string)
        case .list(let list):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in list.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            let keys = object.keys
            let values = object.values
            for index in keys.indices {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(keys[index])
                bytes.append(UInt8(ascii: ":"))
                write(values[index])
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    @inline(__always)
    private mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    private mutating func writeInt(_ value: Int) {
        if value == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var magnitude = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[19 - count] = UInt8(48 + magnitude % 10)
                magnitude /= 10
                count += 1
            }
            bytes.append(contentsOf: buffer[(20 - count)...])
        }
    }

    private mutating func writeString(_ string: String) {
        // Checked before the copy, so that a long string never grows the buffer past the limit.
        guard bytes.count + string.utf8.count + 2 <= limit else {
            exceeded = true
            return
        }
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var chunkStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[chunkStart..<index]))
                chunkStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): append("\\\"")
                case UInt8(ascii: "\\"): append("\\\\")
                case 0x0A: append("\\n")
                case 0x0D: append("\\r")
                case 0x09: append("\\t")
                case 0x08: append("\\b")
                case 0x0C: append("\\f")
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [92, 117, 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[chunkStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
