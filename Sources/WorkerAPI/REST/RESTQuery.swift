import TaskCore

/// The parameters of a query string (`status=pending,failed&limit=10`), percent-decoded
/// (`+` is a space). A repeated parameter keeps every value; unknown parameters are ignored.
struct RESTQuery {
    private(set) var values: [(name: String, value: String)] = []

    init(_ query: String) {
        guard !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            if let equals = pair.firstIndex(of: "=") {
                values.append((Self.decode(pair[..<equals]), Self.decode(pair[pair.index(after: equals)...])))
            } else {
                values.append((Self.decode(pair), ""))
            }
        }
    }

    /// The last value of `name`, if given.
    func last(_ name: String) -> String? {
        values.last { $0.name == name }?.value
    }

    /// Every value of `name`, in order.
    func all(_ name: String) -> [String] {
        values.filter { $0.name == name }.map(\.value)
    }

    /// An integer parameter in `range`, or `defaultValue` when absent.
    /// - Throws: `invalidArgument` naming the parameter for a non-integer or out-of-range value.
    func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws(TaskCoreError) -> Int {
        guard let text = last(name) else { return defaultValue }
        guard let value = Int(text.trimmingPrefixSpaces()) else {
            throw .invalidArgument(name, "\(name): '\(TaskCoreError.excerpt(text))' is not an integer")
        }
        guard range.contains(value) else {
            if range.upperBound == Int.max {
                throw .invalidArgument(name, "\(name): \(value) must be \(range.lowerBound) or more")
            }
            throw .invalidArgument(name, "\(name): \(value) is out of range \(range.lowerBound)-\(range.upperBound)")
        }
        return value
    }

    /// Percent-decodes a query component (`+` is a space); an invalid escape is kept as it is,
    /// invalid UTF-8 is repaired.
    static func decode(_ component: Substring) -> String {
        decode(component, plusIsSpace: true)
    }

    /// Percent-decodes a path segment: as ``decode(_:)``, except that `+` is a literal `+`
    /// (the form encoding of spaces applies to query strings only, RFC 3986 §3.3).
    static func decodePathSegment(_ segment: Substring) -> String {
        decode(segment, plusIsSpace: false)
    }

    /// Percent-decodes `component`; `plusIsSpace` turns `+` into a space.
    /// - Complexity: O(n).
    static func decode(_ component: Substring, plusIsSpace: Bool) -> String {
        let utf8 = component.utf8
        guard utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) }) else {
            return String(component)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if plusIsSpace, byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), let high = utf8.index(index, offsetBy: 1, limitedBy: utf8.endIndex),
                high != utf8.endIndex, let low = utf8.index(high, offsetBy: 1, limitedBy: utf8.endIndex),
                low != utf8.endIndex, let h = hexValue(utf8[high]), let l = hexValue(utf8[low])
            {
                bytes.append(h << 4 | l)
                index = low
            } else {
                bytes.append(byte)
            }
            index = utf8.index(after: index)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension String {
    /// The string without surrounding spaces (query values like `limit= 10`).
    fileprivate func trimmingPrefixSpaces() -> Substring {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
