import Synchronization
import TaskCore

extension GatewayHTTPHandler {
    /// Creates the gateway with access control.
    /// - Parameters:
    ///   - backend: the worker service: in-process (`WorkerService`) or remote (`RemoteWorkerBackend`).
    ///   - accessControl: tokens, CORS, the cross-site rule and the audit trail.
    ///   - graphQLPath: where the endpoint lives; default `/graphql`.
    ///   - documentCacheCapacity: how many distinct documents keep their parsed and validated form.
    public init(
        backend: any WorkerBackend, accessControl: AccessControl, graphQLPath: String = "/graphql",
        documentCacheCapacity: Int = 512
    ) {
        self.init(backend: backend, graphQLPath: graphQLPath, documentCacheCapacity: documentCacheCapacity)
        self.accessControl = accessControl
    }

    /// Answers one HTTP request.
    ///
    /// Every request first passes ``accessControl``: without a valid token (when tokens are set)
    /// the answer is 401 with `WWW-Authenticate: Bearer`; a mutation with a read token is 403 with
    /// `errors[0].extensions.code` `FORBIDDEN` and no `data`; a `POST` from a browser page without
    /// a JSON `Content-Type` is 415. The playground page (`GET` with `Accept: text/html`) and
    /// `/health` are open. The caller's `Authorization` header travels with the request to a
    /// ``RemoteWorkerBackend``, and a worker's 401 or 403 becomes the gateway's answer.
    /// - Parameters:
    ///   - method: the request method, e.g. `GET` (any case).
    ///   - path: the path without the query string, e.g. `/graphql`.
    ///   - query: the raw query string after `?` (percent-encoded), or `nil`.
    ///   - headers: the request headers; names are matched without regard to case.
    ///   - body: the request body.
    /// - Returns: the status, the response headers (always with `Content-Type`) and the body.
    public func handle(
        method: String, path: String, query: String?, headers: [(String, String)], body: [UInt8]
    ) async -> (status: Int, headers: [(String, String)], body: [UInt8]) {
        let access = accessControl
        let head = AccessRequest(
            method: method, path: path, query: query ?? "", headers: headers.map { (name: $0.0, value: $0.1) },
            surface: .graphQL)
        var answer: (status: Int, headers: [(String, String)], body: [UInt8])
        var role: AccessRole?
        var fields: [String]?
        switch await access.admit(head) {
        case .allowed(let found):
            role = found
            let scope = GatewayRequestScope(
                role: found, authorization: Self.header("authorization", in: headers), auditing: access.audit != nil)
            answer = await GatewayRequestScope.$current.withValue(scope) {
                await handleUnguarded(method: method, path: path, query: query, headers: headers, body: body)
            }
            fields = scope.mutationFields
        case .answered(let refusal, let known):
            role = known
            answer = Self.answer(refusal)
        }
        if Self.header("content-type", in: answer.headers)?.hasPrefix("text/html") == true {
            for field in Self.pageSecurityHeaders where Self.header(field.0.lowercased(), in: answer.headers) == nil {
                answer.headers.append(field)
            }
        }
        answer.headers.append(contentsOf: access.corsHeaders(for: head).map { ($0.name, $0.value) })
        if head.method == "HEAD" { answer.body = [] }
        if fields != nil || answer.status == 401 || answer.status == 403
            || (AccessPolicy.isChanging(method: head.method) && answer.status == 415)
        {
            access.record(head, role: role, status: answer.status, fields: fields)
        }
        return answer
    }

    /// Headers every HTML page of the gateway carries: it may not be framed (clickjacking), loads
    /// nothing from elsewhere, and does not leak its URL (which may hold a document) as a referrer.
    static let pageSecurityHeaders: [(String, String)] = [
        ("X-Frame-Options", "DENY"),
        (
            "Content-Security-Policy",
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; "
                + "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        ),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
    ]

    /// The gateway rendering of a middleware answer: the REST error members (`statusCode`,
    /// `error`, `message`) and a GraphQL `errors` list with `extensions.code`, no `data`.
    static func answer(_ refusal: AccessAnswer) -> (status: Int, headers: [(String, String)], body: [UInt8]) {
        let headers = refusal.headers.map { ($0.name, $0.value) }
        guard let message = refusal.message else { return (refusal.status, headers, []) }
        let code: String =
            switch refusal.status {
            case 401: GatewayErrorCode.unauthenticated
            case 403: GatewayErrorCode.forbidden
            case 415: "UNSUPPORTED_MEDIA_TYPE"
            default: GatewayErrorCode.badRequest
            }
        return (refusal.status, [GatewayHTTPAnswer.jsonContentType] + headers, refusalBody(status: refusal.status, message: message, code: code))
    }

    /// `{"statusCode", "error", "message", "errors": [{"message", "extensions": {"code"}}]}`.
    static func refusalBody(status: Int, message: String, code: String) -> [UInt8] {
        GatewayJSON.object([
            ("statusCode", .integer(Int64(status))),
            ("error", .string(HTTPStatusText.reason(for: status))),
            ("message", .string(message)),
            ("errors", .array([.object(["message": .string(message), "extensions": .object(["code": .string(code)])])])),
        ])
    }
}

/// What the gateway knows about the request being executed, for the code below the HTTP layer:
/// the caller's role (a read token may not run mutations), the `Authorization` header to forward
/// to a remote worker, and, on the way back, the root fields of the mutation that ran (for the
/// audit line). Carried in a task-local value, so that ``WorkerBackend`` needs no extra parameter.
final class GatewayRequestScope: Sendable {
    @TaskLocal static var current: GatewayRequestScope?

    /// The caller's role; `nil` without access control.
    let role: AccessRole?
    /// The caller's `Authorization` header, forwarded to a ``RemoteWorkerBackend``.
    let authorization: String?
    /// Whether an audit log wants the mutation's field names (finding them costs a cache lookup).
    let auditing: Bool
    private let fields = Mutex<[String]?>(nil)

    init(role: AccessRole?, authorization: String?, auditing: Bool) {
        self.role = role
        self.authorization = authorization
        self.auditing = auditing
    }

    /// The root fields of the mutation this request ran or tried to run, if it was one.
    var mutationFields: [String]? { fields.withLock { $0 } }

    func recordMutation(_ names: [String]) {
        fields.withLock { $0 = names }
    }
}
