/// The head of a request as the access-control middleware sees it.
public struct AccessRequest: Sendable {
    /// Which front-end received it; the cross-site rule differs a little between them.
    public enum Surface: Sendable, Hashable {
        /// The REST API (worker port).
        case rest
        /// The GraphQL gateway (gateway port).
        case graphQL
    }

    /// The method in upper case.
    public var method: String
    /// The path without the query.
    public var path: String
    /// The raw query string (without `?`), percent-encoded.
    public var query: String
    /// The header fields.
    public var headers: [(name: String, value: String)]
    /// Which front-end received it.
    public var surface: Surface

    /// Creates a request head.
    /// - Parameters:
    ///   - method: the method (any case; kept upper case).
    ///   - path: the path without the query.
    ///   - query: the raw query string.
    ///   - headers: the header fields.
    ///   - surface: the front-end.
    public init(method: String, path: String, query: String = "", headers: [(name: String, value: String)], surface: Surface) {
        // Methods arrive upper case almost always; only a lower-case one pays for a new string.
        self.method =
            method.utf8.contains(where: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) ? method.uppercased() : method
        self.path = path
        self.query = query
        self.headers = headers
        self.surface = surface
    }

    /// The value of the first header field named `name` (ASCII case-insensitive), if any.
    public func header(_ name: String) -> String? {
        for field in headers where RESTRequest.asciiCaseInsensitiveEqual(field.name, name) { return field.value }
        return nil
    }

    /// Whether a browser asks for an HTML page (`Accept` names `text/html` before any JSON type).
    public var wantsPage: Bool {
        guard method == "GET" || method == "HEAD" else { return false }
        return GatewayHTTPHandler.wantsHTML(headers.map { ($0.name, $0.value) })
    }

    /// Whether this is a request for an event stream, which may carry its token as `?access_token=`
    /// (`EventSource` cannot set headers): `/api/events` and below, or a `GET` of `/graphql` that
    /// accepts `text/event-stream`.
    var isEventStream: Bool {
        let path = AccessPolicy.PathPattern.trimmed(path)
        if path == "/api/events" || path.hasPrefix("/api/events/") { return true }
        if surface == .graphQL, method == "GET", let accept = header("Accept")?.lowercased(),
            accept.contains("text/event-stream")
        {
            return true
        }
        return false
    }

    /// The bearer token of the `Authorization` header (scheme `Bearer`, any case), else, on an
    /// event stream, of the `access_token` query parameter.
    public var bearerToken: String? {
        if let authorization = header("Authorization") {
            let utf8 = authorization.utf8
            if utf8.count > 7, authorization.prefix(7).lowercased() == "bearer " {
                let token = authorization.dropFirst(7).trimmingASCIISpaces()
                return token.isEmpty ? nil : String(token)
            }
            return nil
        }
        if isEventStream, !query.isEmpty {
            let token = RESTQuery(query).last("access_token")
            return token?.isEmpty == false ? token : nil
        }
        return nil
    }
}

/// An answer the middleware gives instead of running the request: a refusal (401, 403, 415) or a
/// preflight's 204. Each front-end renders it in its own body shape.
public struct AccessAnswer: Sendable {
    /// The status code.
    public var status: Int
    /// The error message (`nil` for a preflight, which has no body).
    public var message: String?
    /// The error code for `X-Error-Code` (`unauthorized`, `forbidden`, `unsupported_media_type`).
    public var code: String?
    /// Headers to send (`WWW-Authenticate`, the CORS preflight headers).
    public var headers: [(name: String, value: String)]

    /// Creates an answer.
    public init(status: Int, message: String?, code: String?, headers: [(name: String, value: String)] = []) {
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers
    }

    /// 401 with `WWW-Authenticate: Bearer`.
    static func unauthorized(_ message: String) -> AccessAnswer {
        AccessAnswer(status: 401, message: message, code: "unauthorized", headers: [("WWW-Authenticate", "Bearer")])
    }

    /// 403.
    static func forbidden(_ message: String) -> AccessAnswer {
        AccessAnswer(status: 403, message: message, code: "forbidden")
    }

    /// 415.
    static func unsupportedMediaType(_ message: String) -> AccessAnswer {
        AccessAnswer(status: 415, message: message, code: "unsupported_media_type")
    }
}
