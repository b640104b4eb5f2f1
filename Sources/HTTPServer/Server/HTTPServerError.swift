/// An error of the HTTP server: a failure to start, or a request rejected by the parser.
public struct HTTPServerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable machine-readable code.
    public struct Code: RawRepresentable, Hashable, Sendable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The host is not an IPv4 address, or the port is out of range.
        public static let invalidAddress = Code(rawValue: "invalid_address")
        /// A socket call failed while starting (`socket`, `bind`, `listen`, `epoll_create1`...).
        public static let socketFailure = Code(rawValue: "socket_failure")
        /// ``HTTPServer/start()`` was called twice, or after shutdown.
        public static let alreadyStarted = Code(rawValue: "already_started")
        /// The request line is not `METHOD SP target SP HTTP/x.y` (400).
        public static let malformedRequestLine = Code(rawValue: "malformed_request_line")
        /// A header line is malformed (400).
        public static let malformedHeader = Code(rawValue: "malformed_header")
        /// `Content-Length` is not one non-negative decimal number, or conflicts with `Transfer-Encoding` (400).
        public static let invalidContentLength = Code(rawValue: "invalid_content_length")
        /// A chunk of a chunked body is malformed (400).
        public static let malformedChunk = Code(rawValue: "malformed_chunk")
        /// The request line is longer than the limit (414).
        public static let requestLineTooLong = Code(rawValue: "request_line_too_long")
        /// The header fields exceed the byte or count limit (431).
        public static let headersTooLarge = Code(rawValue: "headers_too_large")
        /// The body exceeds the limit (413).
        public static let bodyTooLarge = Code(rawValue: "body_too_large")
        /// A `Transfer-Encoding` other than `chunked` (501).
        public static let unsupportedTransferEncoding = Code(rawValue: "unsupported_transfer_encoding")
        /// An `Expect` other than `100-continue` (417).
        public static let expectationFailed = Code(rawValue: "expectation_failed")
        /// An HTTP version other than 1.0 or 1.1 (505).
        public static let unsupportedVersion = Code(rawValue: "unsupported_version")
    }

    /// The error code.
    public let code: Code
    /// A human-readable explanation naming the offending field and value.
    public let message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: The code.
    ///   - message: The explanation.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The HTTP status the server answers with for a request rejected with this error.
    public var status: Int {
        switch code {
        case .requestLineTooLong: 414
        case .headersTooLarge: 431
        case .bodyTooLarge: 413
        case .expectationFailed: 417
        case .unsupportedTransferEncoding: 501
        case .unsupportedVersion: 505
        default: 400
        }
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
