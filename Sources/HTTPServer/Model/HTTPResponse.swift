/// An HTTP response produced by an ``HTTPResponder``.
///
/// The server always adds `Content-Length` (computed from ``body``; any value set here is replaced),
/// `Date`, and `Connection` when needed. For `HEAD` requests the body is measured but not sent.
public struct HTTPResponse: Sendable {
    /// The status code, e.g. 200.
    public var status: Int
    /// Header fields to send; do not set `Content-Length` or `Transfer-Encoding` (the server owns them).
    public var headers: HTTPHeaders
    /// The body bytes.
    public var body: [UInt8]
    /// A streamed body instead of ``body``: sent chunked (close-delimited to HTTP/1.0 clients),
    /// and the connection closes when the stream finishes. `nil` for an ordinary response.
    public var stream: HTTPBodyStream?

    /// Creates a response.
    /// - Parameters:
    ///   - status: The status code; 200 by default.
    ///   - headers: Header fields.
    ///   - body: The body bytes.
    public init(status: Int = 200, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
        self.stream = nil
    }

    /// Creates a streamed response.
    /// - Parameters:
    ///   - status: The status code; 200 by default.
    ///   - headers: Header fields (`Content-Type`, say).
    ///   - stream: The body stream the responder writes to.
    public init(status: Int = 200, headers: HTTPHeaders = HTTPHeaders(), stream: HTTPBodyStream) {
        self.status = status
        self.headers = headers
        self.body = []
        self.stream = stream
    }

    /// A JSON response (`Content-Type: application/json; charset=utf-8`).
    /// - Parameters:
    ///   - status: The status code; 200 by default.
    ///   - json: The already-encoded JSON bytes.
    ///   - headers: Extra header fields.
    /// - Returns: The response.
    public static func json(status: Int = 200, _ json: [UInt8], headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var all = headers
        all.set("application/json; charset=utf-8", for: "Content-Type")
        return HTTPResponse(status: status, headers: all, body: json)
    }

    /// A JSON response from an already-encoded JSON string.
    /// - Parameters:
    ///   - status: The status code; 200 by default.
    ///   - json: The JSON text.
    ///   - headers: Extra header fields.
    /// - Returns: The response.
    public static func json(status: Int = 200, _ json: String, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        .json(status: status, Array(json.utf8), headers: headers)
    }

    /// A plain-text response (`Content-Type: text/plain; charset=utf-8`).
    /// - Parameters:
    ///   - status: The status code; 200 by default.
    ///   - text: The body text.
    ///   - headers: Extra header fields.
    /// - Returns: The response.
    public static func text(status: Int = 200, _ text: String, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var all = headers
        all.set("text/plain; charset=utf-8", for: "Content-Type")
        return HTTPResponse(status: status, headers: all, body: Array(text.utf8))
    }
}
