/// An HTTP response as the REST router produces it, independent of any server.
public struct RESTResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Header fields; the server adds framing headers (`Content-Length`, `Date`, `Connection`).
    public var headers: [(name: String, value: String)]
    /// The body bytes (empty for 204).
    public var body: [UInt8]
    /// A streamed body instead of ``body`` (`GET /api/events`); `nil` for ordinary responses.
    public var stream: ResponseStream?

    /// Creates a response.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
        self.stream = nil
    }

    /// The value of the first header field named `name` (case-insensitive), if any.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// A JSON response (`Content-Type: application/json; charset=utf-8`).
    public static func json(_ status: Int, _ writer: JSONWriter) -> RESTResponse {
        RESTResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8")], body: writer.bytes)
    }

    /// The contract's error body `{"statusCode", "error", "message"}`; `code` goes into an
    /// `X-Error-Code` header so clients (``RemoteWorkerBackend``) can tell a refused transition from
    /// a bad field without parsing messages.
    public static func error(_ status: Int, _ message: String, code: String? = nil) -> RESTResponse {
        var writer = JSONWriter(capacity: 96 + message.utf8.count)
        writer.errorBody(status: status, message: message)
        var response = json(status, writer)
        if let code { response.headers.append(("X-Error-Code", code)) }
        return response
    }
}
