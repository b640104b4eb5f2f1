import Foundation
import TaskCore

/// The GraphQL gateway as a transport-independent HTTP responder.
///
/// Built once, then shared by every connection (it is `Sendable` and immutable; its document
/// cache is internally synchronised). Any HTTP server mounts it by handing over the parts of a
/// request and writing back the answer:
/// ```swift
/// let gateway = GatewayHTTPHandler(backend: service)            // or RemoteWorkerBackend(...)
/// let answer = await gateway.handle(method: "POST", path: "/graphql", query: nil,
///                                   headers: [("Content-Type", "application/json")], body: bytes)
/// // answer.status, answer.headers, answer.body
/// ```
/// Routes:
/// - `POST /graphql`: `application/json` `{"query", "variables"?, "operationName"?}` (or an
///   `application/graphql` body holding the document).
/// - `GET /graphql?query=&variables=&operationName=`: queries only; a mutation is 405 with `Allow: POST`.
/// - `GET /graphql` with `Accept: text/html` (a browser): the self-contained playground page.
/// - `GET /health`: 200 `{"status":"ok","service":"api-gateway","worker":"up"}`, or 503 with
///   `"worker":"down"` when `backend.isHealthy()` is false.
///
/// Status codes: 200 for every executed operation (even with field errors in `errors`); 400 for a
/// malformed request, a document that does not parse (`GRAPHQL_PARSE_FAILED`) or validate
/// (`GRAPHQL_VALIDATION_FAILED`), or variables that do not fit (`BAD_REQUEST`); 405 for a wrong
/// method; 404 for an unknown path; 413 for a body over 1 MiB.
public struct GatewayHTTPHandler: Sendable {
    /// The backend the resolvers call.
    public let backend: any WorkerBackend
    /// The path of the GraphQL endpoint (default `/graphql`).
    public let graphQLPath: String
    let executor: GatewayExecutor
    /// Tokens, CORS, the cross-site rule and the audit trail (default: no tokens, no CORS, no audit).
    public var accessControl = AccessControl()
    /// What `GET /metrics` of the gateway reports.
    public let metrics = GatewayMetrics()

    /// Creates the gateway.
    /// - Parameters:
    ///   - backend: the worker service: in-process (`WorkerService`) or remote (`RemoteWorkerBackend`).
    ///   - graphQLPath: where the endpoint lives; default `/graphql`.
    ///   - documentCacheCapacity: how many distinct documents keep their parsed and validated form.
    public init(backend: any WorkerBackend, graphQLPath: String = "/graphql", documentCacheCapacity: Int = 512) {
        self.backend = backend
        self.graphQLPath = graphQLPath
        self.executor = GatewayExecutor(backend: backend, cacheCapacity: documentCacheCapacity)
    }

    /// Answers one HTTP request that ``accessControl`` already let through; `method` is case-sensitive (an unknown method is answered 501) (``handle(method:path:query:headers:body:)``
    /// is the public entry point, in `GatewayHTTPHandler+Access.swift`).
    func handleUnguarded(
        method: String, path: String, query: String?, headers: [(String, String)], body: [UInt8]
    ) async -> (status: Int, headers: [(String, String)], body: [UInt8]) {
        let start = ContinuousClock.now
        let path = Self.normalized(path)
        let isHead = method == "HEAD"
        var answer: GatewayHTTPAnswer
        // Methods are case-sensitive (RFC 9110 §9.1): `post` is not `POST`, and an unknown one is 501.
        guard RESTRouter.isImplementedMethod(method) else {
            let response = RESTRouter.notImplemented(method)
            return (response.status, response.headers.map { ($0.name, $0.value) }, response.body)
        }
        switch path {
        case Self.normalized(graphQLPath):
            switch method {
            case "GET", "HEAD": answer = await negotiated(headers) { await get(query: query, headers: headers) }
            case "POST": answer = await negotiated(headers) { await post(headers: headers, body: body) }
            case "OPTIONS": answer = GatewayHTTPAnswer(status: 204, headers: [("Allow", "GET, POST, HEAD, OPTIONS")], body: [])
            default: answer = .methodNotAllowed(method: method, path: path, allow: "GET, POST")
            }
        case "/health":
            switch method {
            case "GET", "HEAD": answer = await health()
            default: answer = .methodNotAllowed(method: method, path: path, allow: "GET")
            }
        case "/metrics":
            switch method {
            case "GET", "HEAD":
                let body = metrics.render(workerUp: await backend.isHealthy())
                answer = GatewayHTTPAnswer(
                    status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8"), ("Cache-Control", "no-store")],
                    body: body)
            default: answer = .methodNotAllowed(method: method, path: path, allow: "GET")
            }
        default:
            answer = .notFound(method: method, path: path)
        }
        if isHead { answer.body = [] }
        let elapsed = ContinuousClock.now - start
        let known = path == Self.normalized(graphQLPath) || path == "/health" || path == "/metrics"
        metrics.record(
            path: known ? path : "unmatched", method: method, status: answer.status,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        return (answer.status, answer.headers, answer.body)
    }

    // MARK: Routes

    /// Runs `route` and labels its answer with the response type the client accepts
    /// (``GatewayResponseMediaType``), or answers 406 when it accepts none. A browser asking for
    /// the playground page is left alone.
    private func negotiated(
        _ headers: [(String, String)], _ route: () async -> GatewayHTTPAnswer
    ) async -> GatewayHTTPAnswer {
        if Self.wantsHTML(headers) { return await route() }
        let accept = Self.header("accept", in: headers)
        guard let mediaType = GatewayResponseMediaType.negotiate(accept: accept) else {
            return .graphQLError(
                status: 406,
                message: "Accept '\(accept ?? "")' names no type this endpoint serves: use application/graphql-response+json or application/json",
                code: "NOT_ACCEPTABLE")
        }
        var answer = await route()
        if mediaType == .graphQLResponseJSON, let index = answer.headers.firstIndex(where: { $0.0 == "Content-Type" }) {
            answer.headers[index].1 = mediaType.contentType
        }
        return answer
    }

    private func get(query: String?, headers: [(String, String)]) async -> GatewayHTTPAnswer {
        if Self.wantsHTML(headers) {
            return GatewayHTTPAnswer(
                status: 200,
                headers: GatewayPlayground.headers,
                body: GatewayPlayground.html)
        }
        let request: GatewayGraphQLRequest
        do {
            request = try GatewayGraphQLRequest.fromGET(parameters: GatewayQueryString.parameters(query))
        } catch {
            return .requestError(error)
        }
        return await executor.execute(request, viaGET: true)
    }

    private func post(headers: [(String, String)], body: [UInt8]) async -> GatewayHTTPAnswer {
        let request: GatewayGraphQLRequest
        do {
            request = try GatewayGraphQLRequest.fromPOST(body: body, contentType: Self.header("content-type", in: headers))
        } catch {
            return .requestError(error)
        }
        return await executor.execute(request, viaGET: false)
    }

    private func health() async -> GatewayHTTPAnswer {
        let up = await backend.isHealthy()
        let body = GatewayJSON.object([
            // The gateway itself is fine either way; "worker" and the status code tell about the worker.
            ("status", "ok"),
            ("service", "api-gateway"),
            ("worker", .string(up ? "up" : "down")),
        ])
        return .json(status: up ? 200 : 503, body)
    }

    // MARK: Helpers

    /// The value of the first header called `name` (compared without case).
    static func header(_ name: String, in headers: [(String, String)]) -> String? {
        headers.first { $0.0.lowercased() == name }?.1
    }

    /// Whether the client is a browser asking for a page: its `Accept` names `text/html`, and it does
    /// not name a JSON type before it.
    static func wantsHTML(_ headers: [(String, String)]) -> Bool {
        guard let accept = header("accept", in: headers)?.lowercased() else { return false }
        guard let html = accept.range(of: "text/html") else { return false }
        for jsonType in ["application/json", "application/graphql-response+json"] {
            if let json = accept.range(of: jsonType), json.lowerBound < html.lowerBound { return false }
        }
        return true
    }

    /// `path` without a trailing slash (except `/` itself).
    static func normalized(_ path: String) -> String {
        var path = path.isEmpty ? "/" : path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
