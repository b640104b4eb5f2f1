/// The parsed head of a request (request line and header fields) plus what the body framing needs.
struct RequestHead: Sendable {
    var method: HTTPMethod
    var path: String
    var query: String
    var version: (major: Int, minor: Int)
    var headers: HTTPHeaders
    /// The byte length of the head, final empty line included.
    var length: Int
    /// The declared `Content-Length`, if any.
    var contentLength: Int?
    /// Whether the body is `Transfer-Encoding: chunked`.
    var chunked: Bool
    /// Whether the connection may stay open after this request (version and `Connection` combined).
    var keepAlive: Bool
    /// Whether the client sent `Expect: 100-continue`.
    var expectsContinue: Bool
}

/// The outcome of one attempt to parse a request from the front of a buffer.
enum ParseOutcome: Sendable {
    /// More bytes are needed; `head` is set once the head is complete (so `100 Continue` can be sent).
    case incomplete(head: RequestHead?)
    /// A whole request, occupying the first `consumed` bytes.
    case complete(RequestHead, body: [UInt8], consumed: Int)
    /// The request is invalid or over a limit; answer with `error.status` and close.
    case failure(HTTPServerError)
}
