/// An HTTP request as the REST router sees it, independent of any server.
public struct RESTRequest: Sendable {
    /// The method in upper case: `GET`, `POST`, `PATCH`, `DELETE`.
    public var method: String
    /// The path without the query: `/api/tasks/1`.
    public var path: String
    /// The query without the `?`: `status=pending&limit=10` (empty when there is none).
    public var query: String
    /// The header fields in arrival order; names compare case-insensitively.
    public var headers: [(name: String, value: String)]
    /// The body bytes (empty when there is none).
    public var body: [UInt8]

    /// Creates a request from its parts.
    /// - Parameters:
    ///   - method: the method (`GET`).
    ///   - path: the path without the query.
    ///   - query: the query without the `?`.
    ///   - headers: header fields.
    ///   - body: body bytes.
    public init(
        method: String, path: String, query: String = "", headers: [(name: String, value: String)] = [],
        body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// Creates a request from a request target such as `/api/tasks?limit=10`.
    /// - Parameters:
    ///   - method: the method (`GET`).
    ///   - target: path and optional query.
    ///   - headers: header fields.
    ///   - body: body bytes.
    public init(method: String, target: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        if let question = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
            self.init(
                method: method, path: String(target[..<question]),
                query: String(target[target.index(after: question)...]), headers: headers, body: body)
        } else {
            self.init(method: method, path: target, headers: headers, body: body)
        }
    }

    /// The value of the first header field named `name` (ASCII case-insensitive), if any.
    public func header(_ name: String) -> String? {
        for field in headers where Self.asciiCaseInsensitiveEqual(field.name, name) { return field.value }
        return nil
    }

    /// Compares two header names without allocating.
    static func asciiCaseInsensitiveEqual(_ lhs: String, _ rhs: String) -> Bool {
        guard lhs.utf8.count == rhs.utf8.count else { return false }
        for (left, right) in zip(lhs.utf8, rhs.utf8) where left != right {
            let lowerLeft = left &- 0x41 < 26 ? left | 0x20 : left
            let lowerRight = right &- 0x41 < 26 ? right | 0x20 : right
            if lowerLeft != lowerRight { return false }
        }
        return true
    }
}
