import Foundation
import HTTPServer
import Scheduling
import Synchronization
import TaskCore
import Testing
import WorkerAPI

/// Collects audit records in memory.
final class AuditCollector: Sendable {
    private let records = Mutex<[AuditRecord]>([])
    var all: [AuditRecord] { records.withLock { $0 } }
    var log: AuditLog {
        AuditLog(now: { Date(timeIntervalSince1970: 1_795_917_600) }) { [self] record in records.withLock { $0.append(record) } }
    }
}

/// Access control on the GraphQL gateway (API.md section 10), in process and split mode.
@Suite(.serialized) struct GatewayAccessTests {
    static let tokens = try! TokenAuthenticator(parsing: "read:r3ad-token,write:wr1te-token")

    static func gateway(_ backend: any WorkerBackend = FakeWorkerBackend(), audit: AuditCollector? = nil) -> GatewayHTTPHandler {
        GatewayHTTPHandler(backend: backend, accessControl: AccessControl(authenticator: tokens, audit: audit?.log))
    }

    static func post(_ gateway: GatewayHTTPHandler, _ document: String, token: String?) async -> GatewayTestAnswer {
        var headers = [("Content-Type", "application/json")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let body = try! JSONEncoder().encode(JSONValue.object(["query": .string(document)]))
        let answer = await gateway.handle(method: "POST", path: "/graphql", query: nil, headers: headers, body: Array(body))
        return GatewayTestAnswer(status: answer.status, headers: answer.headers, body: answer.body)
    }

    static let query = "{ taskStats { total } }"
    static let mutation = #"mutation { createTask(input: {type: "x"}) { id } }"#

    @Test(arguments: [nil, "wrong"] as [String?])
    func withoutAValidTokenEveryOperationIs401(token: String?) async {
        let gateway = Self.gateway()
        for document in [Self.query, Self.mutation] {
            let answer = await Self.post(gateway, document, token: token)
            #expect(answer.status == 401)
            #expect(answer.header("WWW-Authenticate") == "Bearer")
            #expect(answer.json["statusCode"] == 401)
            #expect(answer.json["error"] == "Unauthorized")
            #expect(answer.errorCodes == ["UNAUTHENTICATED"])
            #expect(answer.data == nil)
        }
        let get = await gateway.handle(method: "GET", path: "/graphql", query: "query=%7BtaskStats%7Btotal%7D%7D", headers: [], body: [])
        #expect(get.status == 401)
    }

    @Test func aReadTokenRunsQueriesButNotMutations() async throws {
        let backend = FakeWorkerBackend()
        let gateway = Self.gateway(backend)
        let query = await Self.post(gateway, Self.query, token: "r3ad-token")
        #expect(query.status == 200)
        #expect(query.data?["taskStats"]?["total"] == 0)
        let mutation = await Self.post(gateway, Self.mutation, token: "r3ad-token")
        #expect(mutation.status == 403)
        #expect(mutation.errorCodes.first == "FORBIDDEN")
        #expect(mutation.json["data"] == nil)
        #expect(try await backend.listTasks(TaskQuery()).total == 0)
    }

    @Test func aWriteTokenRunsEverything() async {
        let gateway = Self.gateway()
        #expect(await Self.post(gateway, Self.query, token: "wr1te-token").status == 200)
        let mutation = await Self.post(gateway, Self.mutation, token: "wr1te-token")
        #expect(mutation.status == 200)
        #expect(mutation.data?["createTask"]?["id"] == "1")
    }

    @Test func playgroundPageAndHealthStayOpen() async {
        let gateway = Self.gateway()
        let page = await gateway.handle(method: "GET", path: "/graphql", query: nil, headers: [("Accept", "text/html")], body: [])
        #expect(page.status == 200)
        let health = await gateway.handle(method: "GET", path: "/health", query: nil, headers: [], body: [])
        #expect(health.status == 200)
    }

    @Test func mutationsAndRefusalsAreAudited() async {
        let audit = AuditCollector()
        let gateway = Self.gateway(audit: audit)
        _ = await Self.post(gateway, Self.query, token: "r3ad-token")
        _ = await Self.post(gateway, "mutation M { a: createTask(input: {type: \"x\"}) { id } pauseJob(jobId: \"9\") }", token: "wr1te-token")
        _ = await Self.post(gateway, Self.mutation, token: "r3ad-token")
        _ = await Self.post(gateway, Self.query, token: nil)
        let records = audit.all
        #expect(records.count == 3, "\(records)")
        #expect(records.map(\.status) == [200, 403, 401])
        #expect(records.map(\.role) == [.write, .read, nil])
        #expect(records[0].fields == ["createTask", "pauseJob"])
        #expect(records[1].fields == ["createTask"])
        #expect(records[2].fields == nil)
        #expect(records.allSatisfy { $0.method == "POST" && $0.path == "/graphql" })
        #expect(records[0].jsonLine == #"{"audit":true,"time":"2026-11-29T02:00:00.000Z","role":"write","method":"POST","path":"/graphql","fields":["createTask","pauseJob"],"status":200}"#)
    }

    @Test func restChangesAreAuditedWithTheirRole() async {
        let audit = AuditCollector()
        var options = RESTRouter.Options()
        options.accessControl = AccessControl(audit: audit.log)
        let router = RESTRouter(backend: FakeWorkerBackend(), options: options)
        _ = await router.respond(to: RESTRequest(method: "GET", target: "/api/tasks"))
        _ = await router.respond(
            to: RESTRequest(method: "POST", target: "/api/tasks?x=1", headers: [("Content-Type", "application/json")], body: Array(#"{"type":"x"}"#.utf8)))
        _ = await router.respond(to: RESTRequest(method: "DELETE", target: "/api/jobs/7"))
        let records = audit.all
        #expect(records.map(\.method) == ["POST", "DELETE"])
        #expect(records.map(\.path) == ["/api/tasks", "/api/jobs/7"])
        #expect(records.map(\.status) == [201, 404])
        #expect(records.allSatisfy { $0.role == nil })
        #expect(records[0].jsonLine.contains(#""role":null"#))
    }

    @Test func corsIsOffByDefaultAndOnForListedOrigins() async throws {
        let plain = GatewayHTTPHandler(backend: FakeWorkerBackend())
        let preflight: [(String, String)] = [("Origin", "http://ops.example"), ("Access-Control-Request-Method", "POST")]
        let off = await plain.handle(method: "OPTIONS", path: "/graphql", query: nil, headers: preflight, body: [])
        #expect(!off.headers.contains { $0.0.lowercased().hasPrefix("access-control-") })
        let cors = GatewayHTTPHandler(
            backend: FakeWorkerBackend(),
            accessControl: AccessControl(authenticator: Self.tokens, corsOrigins: try AccessControl.normalizedOrigins(["http://ops.example"])))
        let on = await cors.handle(method: "OPTIONS", path: "/graphql", query: nil, headers: preflight, body: [])
        #expect(on.status == 204)
        #expect(on.headers.first { $0.0 == "Access-Control-Allow-Origin" }?.1 == "http://ops.example")
        #expect(on.headers.first { $0.0 == "Access-Control-Allow-Headers" }?.1.contains("Authorization") == true)
        let other = await cors.handle(
            method: "OPTIONS", path: "/graphql", query: nil, headers: [("Origin", "http://evil.example"), ("Access-Control-Request-Method", "POST")],
            body: [])
        #expect(!other.headers.contains { $0.0 == "Access-Control-Allow-Origin" })
        let actual = await cors.handle(
            method: "POST", path: "/graphql", query: nil,
            headers: [("Origin", "http://ops.example"), ("Content-Type", "application/json"), ("Authorization", "Bearer r3ad-token")],
            body: Array(#"{"query":"{ taskStats { total } }"}"#.utf8))
        #expect(actual.status == 200)
        #expect(actual.headers.first { $0.0 == "Access-Control-Allow-Origin" }?.1 == "http://ops.example")
    }

    @Test(arguments: ["*", "https://a.example:8443", "http://localhost:3000/"])
    func acceptsOrigins(origin: String) throws {
        _ = try AccessControl.normalizedOrigins([origin])
    }

    @Test(arguments: ["a.example", "ftp://a.example", "https://a.example/path", "null", ""])
    func refusesNonOrigins(origin: String) {
        #expect(throws: AccessConfigurationError.self) { try AccessControl.normalizedOrigins([origin]) }
    }

    // MARK: Split mode: the gateway forwards Authorization; the worker decides.

    /// Serves a guarded router on a real socket and runs `body` with a gateway (without tokens of
    /// its own) in front of it.
    static func withSplit(_ body: (GatewayHTTPHandler) async throws -> Void) async throws {
        var options = RESTRouter.Options(storeKind: "memory")
        options.accessControl = AccessControl(authenticator: tokens)
        let router = RESTRouter(backend: WorkerService(store: InMemoryTaskStore()), options: options)
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0, eventLoops: 1), responder: RESTTestServer(router: router))
        let port = try server.start()
        let gateway = GatewayHTTPHandler(backend: try RemoteWorkerBackend(baseURL: "http://127.0.0.1:\(port)"))
        do {
            try await body(gateway)
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    @Test(.timeLimit(.minutes(1)))
    func workerRefusalsBecomeTheGatewaysStatus() async throws {
        try await Self.withSplit { gateway in
            let none = await Self.post(gateway, Self.query, token: nil)
            #expect(none.status == 401)
            #expect(none.header("WWW-Authenticate") == "Bearer")
            #expect(none.errorCodes.first == "UNAUTHENTICATED")
            #expect(!none.text.contains("unavailable"))
            #expect(await Self.post(gateway, Self.query, token: "nope").status == 401)
            #expect(await Self.post(gateway, Self.query, token: "r3ad-token").status == 200)
            let forbidden = await Self.post(gateway, Self.mutation, token: "r3ad-token")
            #expect(forbidden.status == 403)
            #expect(forbidden.errorCodes.first == "FORBIDDEN")
            #expect(forbidden.json["data"] == nil)
            let created = await Self.post(gateway, Self.mutation, token: "wr1te-token")
            #expect(created.status == 200)
            #expect(created.data?["createTask"]?["id"] == "1")
        }
    }
}
