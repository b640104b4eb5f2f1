import Foundation
import TaskCore
import Testing
import WorkerAPI

/// The decision table (API.md section 10), checked for every route of the router: whatever routes
/// the table holds, each one is open, read or write exactly as the method-based rule says, and the
/// router answers accordingly for no token, a wrong token, a read token and a write token.
@Suite struct AccessPolicyTests {
    /// The caller kinds of the contract.
    enum Caller: String, CaseIterable, CustomTestStringConvertible {
        case noToken, wrongToken, readToken, writeToken
        var testDescription: String { rawValue }
        var headers: [(name: String, value: String)] {
            switch self {
            case .noToken: []
            case .wrongToken: [("Authorization", "Bearer not-a-token")]
            case .readToken: [("Authorization", "Bearer r3ad-token")]
            case .writeToken: [("Authorization", "Bearer wr1te-token")]
            }
        }
    }

    /// The oracle, written independently of ``AccessPolicy``: only `/health`, the dashboard page and
    /// the OpenAPI document are open; GET and HEAD need read; every other method needs write.
    static func expectedRequirement(method: String, path: String) -> AccessRequirement {
        if path == "/health" || path == "/dashboard" || path.hasPrefix("/dashboard/") || path == "/openapi.json" {
            return method == "GET" || method == "HEAD" ? .open : .write
        }
        return method == "GET" || method == "HEAD" ? .read : .write
    }

    /// The status the contract expects for `caller` on a route needing `requirement`, or `nil` for
    /// "allowed" (any status the route itself chooses, never 401 or 403).
    static func expectedRefusal(_ requirement: AccessRequirement, _ caller: Caller) -> Int? {
        switch (requirement, caller) {
        case (.open, _): nil
        case (_, .noToken), (_, .wrongToken): 401
        case (.write, .readToken): 403
        default: nil
        }
    }

    static let tokens = try! TokenAuthenticator(parsing: "read:r3ad-token, write:wr1te-token")

    static func router() -> RESTRouter {
        var options = RESTRouter.Options(storeKind: "memory")
        options.accessControl = AccessControl(authenticator: tokens)
        return RESTRouter(backend: FakeWorkerBackend(), options: options)
    }

    /// A concrete path for a template (`{id}` → `1`, `{name}` → `default`).
    static func concrete(_ template: String) -> String {
        template.replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "{name}", with: "default")
    }

    static var routeCases: [RESTRoute] {
        RESTRouter.routes + RESTRouter.routes.filter { $0.method == "GET" }.map { RESTRoute("HEAD", $0.path) }
    }

    @Test(arguments: routeCases)
    func everyRouteHasTheRequirementOfItsMethod(route: RESTRoute) {
        let path = Self.concrete(route.path.template)
        #expect(
            AccessPolicy.standard.requirement(method: route.method, path: path)
                == Self.expectedRequirement(method: route.method, path: path), "\(route)")
    }

    @Test(arguments: routeCases, Caller.allCases)
    func routerAnswersEveryRouteAsTheTableSays(route: RESTRoute, caller: Caller) async {
        let path = Self.concrete(route.path.template)
        var headers = caller.headers
        if route.method != "GET", route.method != "HEAD" { headers.append(("Content-Type", "application/json")) }
        let body: [UInt8] = route.method == "GET" || route.method == "HEAD" || route.method == "DELETE" ? [] : Array("{}".utf8)
        let response = await Self.router().respond(to: RESTRequest(method: route.method, path: path, headers: headers, body: body))
        let requirement = Self.expectedRequirement(method: route.method, path: path)
        let answer = RESTAnswer(response: response)
        if let refusal = Self.expectedRefusal(requirement, caller) {
            answer.expectError(refusal)
            if refusal == 401 { #expect(answer.header("WWW-Authenticate") == "Bearer") }
        } else {
            #expect(response.status != 401 && response.status != 403, "\(route) as \(caller): \(answer.text)")
        }
    }

    @Test(arguments: ["GET", "HEAD", "OPTIONS", "POST", "PATCH", "PUT", "DELETE", "TRACE"])
    func unknownPathsAreGuardedToo(method: String) async {
        let response = await Self.router().respond(to: RESTRequest(method: method, path: "/api/not-yet-a-route"))
        RESTAnswer(response: response).expectError(401)
    }

    @Test func theGeneralRuleCoversRoutesOtherHelpersAdd() {
        let policy = AccessPolicy.standard
        for path in ["/api/queues", "/api/queues/emails", "/api/batches/1", "/api/events", "/api/cron/next", "/api/jobs/1/next", "/metrics"] {
            #expect(policy.requirement(method: "GET", path: path) == .read, "\(path)")
        }
        // The API's description holds no data: open, like /health (DECISIONS.md).
        #expect(policy.requirement(method: "GET", path: "/openapi.json") == .open)
        #expect(policy.requirement(method: "POST", path: "/openapi.json") == .write)
        for (method, path) in [("POST", "/api/tasks/bulk"), ("PATCH", "/api/queues/emails"), ("POST", "/api/batches"), ("DELETE", "/api/queues/x")] {
            #expect(policy.requirement(method: method, path: path) == .write, "\(method) \(path)")
        }
        #expect(policy.requirement(method: "GET", path: "/dashboard") == .open)
        #expect(policy.requirement(method: "GET", path: "/dashboard/") == .open)
        #expect(policy.requirement(method: "GET", path: "/dashboard/app.js") == .open)
        #expect(policy.requirement(method: "POST", path: "/dashboard") == .write)
        #expect(policy.requirement(method: "GET", path: "/dashboards") == .read)
        #expect(policy.requirement(method: "GET", path: "/health") == .open)
        #expect(policy.requirement(method: "GET", path: "/health/") == .open)
        #expect(policy.requirement(method: "POST", path: "/health") == .write)
    }

    @Test func graphQLRowsOpenOnlyThePlaygroundPage() {
        let policy = AccessPolicy.standard
        #expect(policy.requirement(method: "GET", path: "/graphql", wantsPage: true) == .open)
        #expect(policy.requirement(method: "HEAD", path: "/graphql", wantsPage: true) == .open)
        #expect(policy.requirement(method: "GET", path: "/graphql", wantsPage: false) == .read)
        #expect(policy.requirement(method: "POST", path: "/graphql", wantsPage: true) == .read)
        #expect(policy.requirement(method: "POST", path: "/graphql") == .read)
        #expect(policy.requirement(method: "GET", path: "/api/tasks", wantsPage: true) == .read)
    }

    @Test func withoutAnAuthenticatorEverythingIsAllowed() async {
        let router = RESTRouter(backend: FakeWorkerBackend())
        let response = await router.respond(
            to: RESTRequest(method: "POST", target: "/api/tasks", headers: [("Content-Type", "application/json")], body: Array(#"{"type":"x"}"#.utf8)))
        #expect(response.status == 201)
    }

    @Test func eventStreamTakesTheTokenFromTheQuery() async {
        let access = AccessControl(authenticator: Self.tokens)
        func admitted(_ path: String, _ query: String, headers: [(name: String, value: String)] = []) async -> Bool {
            if case .allowed = await access.admit(AccessRequest(method: "GET", path: path, query: query, headers: headers, surface: .rest)) {
                return true
            }
            return false
        }
        #expect(await admitted("/api/events", "access_token=r3ad-token"))
        #expect(await admitted("/api/events", "type=email&access_token=wr1te-token"))
        #expect(!(await admitted("/api/events", "access_token=nope")))
        #expect(!(await admitted("/api/events", "")))
        // Elsewhere a token in the URL is not accepted: URLs end up in logs and histories.
        #expect(!(await admitted("/api/tasks", "access_token=r3ad-token")))
        // The header wins when both are given.
        #expect(!(await admitted("/api/events", "access_token=r3ad-token", headers: [("Authorization", "Bearer nope")])))
    }

    @Test func refusalsNeverEchoTheToken() async {
        let secret = "Bearer super-secret-value-123"
        let response = await Self.router().respond(to: RESTRequest(method: "GET", path: "/api/tasks", headers: [("Authorization", secret)]))
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(response.status == 401)
        #expect(!text.contains("super-secret"))
        #expect(!response.headers.contains { $0.value.contains("super-secret") })
    }

    @Test func authorizationSchemeIsCaseInsensitiveAndOtherSchemesAreMissing() async {
        let router = Self.router()
        let lower = await router.respond(to: RESTRequest(method: "GET", path: "/api/tasks", headers: [("authorization", "bearer r3ad-token")]))
        #expect(lower.status == 200)
        let basic = await router.respond(to: RESTRequest(method: "GET", path: "/api/tasks", headers: [("Authorization", "Basic cjNhZC10b2tlbg==")]))
        RESTAnswer(response: basic).expectError(401, "Missing bearer token")
    }

    @Test func metricsAndHealthKeepTokensOut() async {
        let router = Self.router()
        _ = await router.respond(to: RESTRequest(method: "GET", path: "/api/tasks", headers: [("Authorization", "Bearer wr1te-token")]))
        _ = await router.respond(to: RESTRequest(method: "GET", path: "/api/tasks", headers: [("Authorization", "Bearer guess-123")]))
        let metrics = await router.respond(to: RESTRequest(method: "GET", path: "/metrics", headers: [("Authorization", "Bearer r3ad-token")]))
        let health = await router.respond(to: RESTRequest(method: "GET", path: "/health"))
        #expect(metrics.status == 200)
        #expect(health.status == 200)
        for body in [metrics.body, health.body] {
            let text = String(decoding: body, as: UTF8.self)
            for token in ["wr1te-token", "r3ad-token", "guess-123"] { #expect(!text.contains(token)) }
        }
    }
}
