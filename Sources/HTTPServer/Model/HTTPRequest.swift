/// One parsed HTTP/1.x request, handed to an ``HTTPResponder``.
public struct HTTPRequest: Sendable {
    /// The request method.
    public var method: HTTPMethod
    /// The path part of the request target, still percent-encoded, without the query (e.g. `/api/tasks/1`).
    public var path: String
    /// The raw query string after `?`, without the `?`; empty when there is none.
    public var query: String
    /// The HTTP version as (major, minor), e.g. (1, 1).
    public var version: (major: Int, minor: Int)
    /// The header fields; look them up case-insensitively with `headers["content-type"]`.
    public var headers: HTTPHeaders
    /// The request body, already de-chunked; empty when there is none.
    public var body: [UInt8]
    /// The peer address as `"ip:port"`, when known.
    public var remoteAddress: String?

    /// Creates a request; the server does this, tests of responders may too.
    /// - Parameters:
    ///   - method: The method.
    ///   - path: The path without the query.
    ///   - query: The raw query string (no `?`).
    ///   - version: The HTTP version, (1, 1) by default.
    ///   - headers: The header fields.
    ///   - body: The body bytes.
    ///   - remoteAddress: The peer address, if any.
    public init(
        method: HTTPMethod, path: String, query: String = "", version: (major: Int, minor: Int) = (1, 1),
        headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], remoteAddress: String? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// The query items, split on `&` and `=` and percent-decoded (`+` becomes a space).
    ///
    /// Computed on each access; an item without `=` has an empty value.
    /// - Complexity: O(*n*) in the length of ``query``.
    public var queryItems: [(name: String, value: String)] {
        guard !query.isEmpty else { return [] }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let equals = pair.firstIndex(of: "=") {
                return (name: Self.percentDecode(pair[..<equals]), value: Self.percentDecode(pair[pair.index(after: equals)...]))
            }
            return (name: Self.percentDecode(pair), value: "")
        }
    }

    /// The first value of the query item `name`, or `nil`.
    /// - Parameter name: The item name, compared exactly.
    /// - Returns: The decoded value.
    public func queryValue(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }

    /// Decodes `%XX` escapes and `+`; malformed escapes are kept as they are; invalid UTF-8 is repaired.
    static func percentDecode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let high = hexValue(iterator[iterator.startIndex]),
                let low = hexValue(iterator[iterator.startIndex + 1])
            {
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The value of an ASCII hex digit, or `nil`.
@inline(__always) func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
