/// The parts of an HTTP request an authenticator may look at.
///
/// Built by ``AccessControl`` from whatever the server received; the body is never included (an
/// authenticator decides on headers alone, before the body is read or parsed).
public struct AuthenticationRequest: Sendable {
    /// The method in upper case (`GET`).
    public var method: String
    /// The path without the query (`/api/tasks/1`).
    public var path: String
    /// The header fields; names compare without regard to case (use ``header(_:)``).
    public var headers: [(name: String, value: String)]
    /// The bearer token the request carries: the `Authorization: Bearer` header, or, on the event
    /// streams only (`/api/events`, a `text/event-stream` GET of `/graphql`), the `access_token`
    /// query parameter, because `EventSource` cannot set headers. `nil` when there is none.
    public var bearerToken: String?

    /// Creates a request description.
    /// - Parameters:
    ///   - method: the method (`GET`).
    ///   - path: the path without the query.
    ///   - headers: the header fields.
    ///   - bearerToken: the token found in the request, if any.
    public init(method: String, path: String, headers: [(name: String, value: String)], bearerToken: String?) {
        self.method = method
        self.path = path
        self.headers = headers
        self.bearerToken = bearerToken
    }

    /// The value of the first header field named `name` (ASCII case-insensitive), if any.
    public func header(_ name: String) -> String? {
        for field in headers where RESTRequest.asciiCaseInsensitiveEqual(field.name, name) { return field.value }
        return nil
    }
}

/// What an authenticator found out about a request.
public enum AuthenticationResult: Sendable, Hashable {
    /// The caller is known and has this role.
    case authenticated(AccessRole)
    /// The request carries no credentials (answered 401 unless the route is open).
    case missingCredentials
    /// The request carries credentials that are not accepted (answered 401). The reason is shown to
    /// the caller: it must never contain the credentials themselves.
    case refused(reason: String)
}

/// Decides who a request comes from: request headers in, a role or a refusal out.
///
/// ``TokenAuthenticator`` (the `--api-tokens` list) is the built-in one; an embedder plugs its own
/// (JWTs, an API-key service, mTLS headers set by a proxy) into ``AccessControl``:
/// ```swift
/// struct ProxyHeaderAuthenticator: RequestAuthenticator {
///     func authenticate(_ request: AuthenticationRequest) async -> AuthenticationResult {
///         switch request.header("X-Forwarded-Role") {
///         case "operator": .authenticated(.write)
///         case "viewer": .authenticated(.read)
///         case nil: .missingCredentials
///         default: .refused(reason: "unknown role")
///         }
///     }
/// }
/// let access = AccessControl(authenticator: ProxyHeaderAuthenticator())
/// ```
/// It is called for every request that is not open (``AccessRequirement/open``), before the body is
/// parsed; keep it fast and never log what it is given.
public protocol RequestAuthenticator: Sendable {
    /// Authenticates one request.
    /// - Parameter request: method, path, headers and the bearer token found, if any.
    /// - Returns: the caller's role, or why it is refused.
    func authenticate(_ request: AuthenticationRequest) async -> AuthenticationResult
}
