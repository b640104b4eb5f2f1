import Foundation

/// The access-control middleware of the REST API and the GraphQL gateway (API.md section 10):
/// CORS preflights, authentication, the role check of ``AccessPolicy``, the cross-site request
/// rule and the audit trail, in one place in front of every route.
///
/// ``RESTRouter`` and ``GatewayHTTPHandler`` run every request through ``admit(_:)`` before any
/// route sees it, so a route added later is guarded without an edit. Without an authenticator
/// (the default) every request is allowed with the role `nil`, but the cross-site rule, CORS and
/// the audit trail still apply.
/// ```swift
/// var options = RESTRouter.Options(storeKind: "sqlite")
/// options.accessControl = AccessControl(
///     authenticator: try TokenAuthenticator(parsing: "read:r3ad,write:wr1te"),
///     corsOrigins: try AccessControl.normalizedOrigins(["https://ops.example.com"]),
///     audit: .standardError)
/// let router = RESTRouter(backend: service, options: options)
/// ```
public struct AccessControl: Sendable {
    /// Who a request comes from; `nil` turns access control off (everyone may do everything).
    public var authenticator: (any RequestAuthenticator)?
    /// The decision table.
    public var policy: AccessPolicy
    /// The origins whose preflights are answered and whose responses carry
    /// `Access-Control-Allow-Origin` (lower case, no trailing slash; `*` for any). Empty: no CORS.
    public var corsOrigins: [String]
    /// Where audit records go; `nil` writes none.
    public var audit: AuditLog?

    /// Creates the middleware.
    /// - Parameters:
    ///   - authenticator: who requests come from; `nil` (the default) for no access control.
    ///   - policy: the decision table (default ``AccessPolicy/standard``).
    ///   - corsOrigins: allowed CORS origins, already normalised (see ``normalizedOrigins(_:)``).
    ///   - audit: where audit records go (default none; `worker-demo` uses ``AuditLog/standardError``).
    public init(
        authenticator: (any RequestAuthenticator)? = nil, policy: AccessPolicy = .standard, corsOrigins: [String] = [],
        audit: AuditLog? = nil
    ) {
        self.authenticator = authenticator
        self.policy = policy
        self.corsOrigins = corsOrigins
        self.audit = audit
    }

    /// Whether requests are authenticated.
    public var isEnabled: Bool { authenticator != nil }

    /// What the middleware decided about one request.
    public enum Admission: Sendable {
        /// Let the request through; `role` is the caller's (`nil` without access control or on an open route).
        case allowed(role: AccessRole?)
        /// Answer the request with this instead of running it (a refusal or a preflight answer);
        /// `role` is the caller's when it is known (a 403 or 415), for the audit line.
        case answered(AccessAnswer, role: AccessRole?)
    }

    /// Decides about one request, from its head alone (the body is not looked at).
    ///
    /// In order: a CORS preflight of an allowed origin is answered 204; a request that needs a
    /// role and has none is 401 (`WWW-Authenticate: Bearer`); a read token on a change is 403;
    /// a cross-site change without a JSON `Content-Type` is 415 (see `Docs/SECURITY.md`).
    /// - Parameter request: the request's head.
    /// - Returns: `.allowed` with the caller's role, or the answer to send.
    public func admit(_ request: AccessRequest) async -> Admission {
        if request.method == "OPTIONS", let origin = request.header("Origin"),
            request.header("Access-Control-Request-Method") != nil, allowsCORS(origin: origin)
        {
            return .answered(preflightAnswer(origin: origin), role: nil)
        }
        var role: AccessRole?
        if let authenticator,
            case let requirement = policy.requirement(method: request.method, path: request.path, wantsPage: request.wantsPage),
            requirement != .open
        {
            let credentials = AuthenticationRequest(
                method: request.method, path: request.path, headers: request.headers, bearerToken: request.bearerToken)
            switch await authenticator.authenticate(credentials) {
            case .authenticated(let found):
                guard found.satisfies(requirement) else {
                    return .answered(
                        .forbidden("\(request.method) \(Self.shown(request.path)) needs a write token; this token has the \(found.rawValue) role"),
                        role: found)
                }
                role = found
            case .missingCredentials:
                return .answered(.unauthorized("Missing bearer token: send the header 'Authorization: Bearer <token>'"), role: nil)
            case .refused(let reason):
                return .answered(.unauthorized("Invalid credentials: \(reason)"), role: nil)
            }
        }
        if let refusal = crossSiteRefusal(request) { return .answered(refusal, role: role) }
        return .allowed(role: role)
    }

    /// The CORS headers a response to `request` gets: `Access-Control-Allow-Origin` for an allowed
    /// `Origin`, with `Vary: Origin`; nothing otherwise.
    public func corsHeaders(for request: AccessRequest) -> [(name: String, value: String)] {
        guard !corsOrigins.isEmpty, request.method != "OPTIONS" || request.header("Access-Control-Request-Method") == nil
        else { return [] }
        guard let origin = request.header("Origin"), allowsCORS(origin: origin) else { return [("Vary", "Origin")] }
        return [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
    }

    /// Writes one audit record, if an ``audit`` log is set.
    /// - Parameters:
    ///   - request: the request.
    ///   - role: the caller's role (`nil` without access control, or when refused with 401).
    ///   - status: the status answered.
    ///   - fields: for a GraphQL mutation, its root field names.
    public func record(_ request: AccessRequest, role: AccessRole?, status: Int, fields: [String]? = nil) {
        audit?.write(AuditRecord(
            time: audit?.now() ?? Date(), role: role, method: request.method, path: request.path, fields: fields,
            status: status))
    }

    // MARK: CORS

    /// Whether `origin` is among ``corsOrigins``.
    func allowsCORS(origin: String) -> Bool {
        guard !corsOrigins.isEmpty else { return false }
        if corsOrigins.contains("*") { return true }
        let normalized = Self.normalize(origin)
        return corsOrigins.contains(normalized)
    }

    func preflightAnswer(origin: String) -> AccessAnswer {
        AccessAnswer(
            status: 204, message: nil, code: nil,
            headers: [
                ("Access-Control-Allow-Origin", origin),
                ("Access-Control-Allow-Methods", "GET, HEAD, POST, PATCH, DELETE, OPTIONS"),
                ("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept, Last-Event-ID"),
                ("Access-Control-Max-Age", "600"),
                ("Vary", "Origin"),
            ])
    }

    /// Checks and normalises `--cors-origin` values: `scheme://host[:port]` (http or https) or `*`.
    /// - Parameter origins: the values as given.
    /// - Returns: them in lower case, without a trailing slash.
    /// - Throws: ``AccessConfigurationError`` naming the first one that is not an origin.
    public static func normalizedOrigins(_ origins: [String]) throws(AccessConfigurationError) -> [String] {
        var result: [String] = []
        for origin in origins {
            let normalized = normalize(origin)
            if normalized == "*" {
                result.append(normalized)
                continue
            }
            guard let components = URLComponents(string: normalized), let scheme = components.scheme,
                scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
                components.path.isEmpty, components.query == nil, components.fragment == nil, components.user == nil
            else {
                throw AccessConfigurationError(
                    message: "--cors-origin '\(origin)' is not an origin such as https://ops.example.com or http://localhost:8080")
            }
            result.append(normalized)
        }
        return result
    }

    static func normalize(_ origin: String) -> String {
        var text = origin.trimmingCharacters(in: .whitespaces).lowercased()
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// A path as shown in messages: at most 200 characters.
    static func shown(_ path: String) -> String {
        path.utf8.count <= 200 ? path : String(path.prefix(200)) + "…"
    }
}
