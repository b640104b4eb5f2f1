import Foundation
import TaskCore
import Testing
import WorkerAPI

/// The cross-site request rule (issue 12, C3a and C3c; Docs/SECURITY.md): a page of another site
/// cannot change anything with a request the browser sends without a CORS preflight.
@Suite struct AccessCrossSiteTests {
    static let evil = ("Origin", "http://evil.example")

    /// C3c: `curl -XPOST localhost:4001/api/tasks/4/cancel -H 'Origin: http://evil.example' -H 'Content-Type: text/plain'`.
    @Test(arguments: ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", nil] as [String?])
    func bodilessActionFromAForeignPageIs415(contentType: String?) async {
        let harness = RESTHarness()
        let id = await harness.createTask()
        var headers: [(name: String, value: String)] = [Self.evil, ("Host", "localhost:4001")]
        if let contentType { headers.append(("Content-Type", contentType)) }
        for target in ["/api/tasks/\(id)/cancel", "/api/tasks/\(id)/retry"] {
            await harness.send("POST", target, headers: headers).expectError(415)
        }
        #expect(await harness.send("GET", "/api/tasks/\(id)").json["status"] == "pending")
    }

    /// C3c: a `no-cors` fetch with a Blob body has an Origin and no Content-Type.
    @Test func bodyWithoutContentTypeFromAForeignPageIs415() async {
        let harness = RESTHarness()
        await harness.send("POST", "/api/tasks", body: #"{"type":"x"}"#, headers: [Self.evil]).expectError(415, "needs the header Content-Type")
        #expect(await harness.send("GET", "/api/tasks").json["total"] == 0)
    }

    @Test(arguments: ["PATCH", "DELETE"])
    func otherChangingMethodsFollowTheSameRule(method: String) async {
        let harness = RESTHarness()
        await harness.send(method, "/api/jobs/1", body: method == "PATCH" ? #"{"name":"n"}"# : nil, headers: [Self.evil, ("Content-Type", "text/plain")])
            .expectError(415)
    }

    @Test func jsonFromAForeignPageGoesThrough() async {
        // A JSON Content-Type cannot be sent cross-site without a preflight, which only
        // --cors-origin origins pass; so the request itself is allowed.
        let harness = RESTHarness()
        let answer = await harness.send("POST", "/api/tasks", body: #"{"type":"x"}"#, headers: [Self.evil, ("Content-Type", "application/json")])
        #expect(answer.status == 201)
    }

    @Test(arguments: [
        ("http://localhost:4001", "localhost:4001"), ("http://127.0.0.1:4001", "127.0.0.1:4001"),
        ("http://LOCALHOST", "localhost:80"), ("https://ops.example", "ops.example"), ("http://[::1]:4001", "[::1]:4001"),
    ])
    func sameOriginBodilessActionsAreAllowed(origin: String, host: String) async {
        let harness = RESTHarness()
        let id = await harness.createTask()
        let answer = await harness.send("POST", "/api/tasks/\(id)/cancel", headers: [("Origin", origin), ("Host", host)])
        #expect(answer.status == 200, "\(answer.text)")
    }

    @Test(arguments: [
        // The scheme is not compared: behind a TLS proxy the page is https and the Host the same.
        ("http://localhost:4002", "localhost:4001"), ("http://evil.example:4001", "localhost:4001"), ("null", "localhost:4001"),
        ("http://localhost", "localhost:8080"),
    ])
    func nearlySameOriginsAreForeign(origin: String, host: String) async {
        let harness = RESTHarness()
        let id = await harness.createTask()
        await harness.send("POST", "/api/tasks/\(id)/cancel", headers: [("Origin", origin), ("Host", host)]).expectError(415)
    }

    @Test func secFetchSiteCrossSiteWithoutOriginIsForeign() async {
        let harness = RESTHarness()
        let id = await harness.createTask()
        await harness.send("POST", "/api/tasks/\(id)/cancel", headers: [("Sec-Fetch-Site", "cross-site")]).expectError(415)
        #expect(await harness.send("POST", "/api/tasks/\(id)/cancel", headers: [("Sec-Fetch-Site", "same-origin")]).status == 200)
    }

    @Test func withoutOriginNothingChanges() async {
        // curl and SDKs send no Origin: the contract's lenient body reading stays.
        let harness = RESTHarness()
        let id = await harness.createTask()
        #expect(await harness.send("POST", "/api/tasks/\(id)/cancel", headers: [("Content-Type", "text/plain")]).status == 200)
        #expect(await harness.send("POST", "/api/tasks", body: #"{"type":"x"}"#, headers: [("Content-Type", "text/plain")]).status == 201)
    }

    @Test func aCORSOriginIsNotForeign() async throws {
        var options = RESTRouter.Options()
        options.accessControl = AccessControl(corsOrigins: try AccessControl.normalizedOrigins(["http://ops.example/"]))
        let router = RESTRouter(backend: FakeWorkerBackend(), options: options)
        let created = await router.respond(
            to: RESTRequest(method: "POST", target: "/api/tasks", headers: [("Content-Type", "application/json")], body: Array(#"{"type":"x"}"#.utf8)))
        let id = RESTAnswer(response: created).json["id"]?.stringValue ?? "?"
        let answer = await router.respond(to: RESTRequest(method: "POST", target: "/api/tasks/\(id)/cancel", headers: [("Origin", "http://ops.example")]))
        #expect(answer.status == 200)
        #expect(answer.header("Access-Control-Allow-Origin") == "http://ops.example")
    }

    // MARK: GraphQL (C3a)

    static let mutation = Array(#"{"query":"mutation{createTask(input:{type:\"x\"}){id}}"}"#.utf8)

    /// C3a: `curl -XPOST localhost:4000/graphql -H 'Origin: http://evil.example' -H 'Content-Type: text/plain' -d '{"query":"mutation{...}"}'`.
    @Test(arguments: ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/graphql", nil] as [String?])
    func graphQLPostFromABrowserPageNeedsJSON(contentType: String?) async throws {
        let backend = FakeWorkerBackend()
        let client = GatewayClient(backend: backend)
        var headers = [("Origin", "http://evil.example")]
        if let contentType { headers.append(("Content-Type", contentType)) }
        let body = contentType == "application/graphql" ? Array(#"mutation{createTask(input:{type:"x"}){id}}"#.utf8) : Self.mutation
        let answer = await client.send("POST", "/graphql", headers: headers, body: body)
        #expect(answer.status == 415)
        #expect(answer.errorCodes == ["UNSUPPORTED_MEDIA_TYPE"])
        #expect(answer.data == nil)
        #expect(try await backend.listTasks(TaskQuery()).total == 0)
    }

    @Test func graphQLPostFromTheSameOriginAsJSONRuns() async {
        let client = GatewayClient(backend: FakeWorkerBackend())
        let answer = await client.send(
            "POST", "/graphql", headers: [("Origin", "http://127.0.0.1:4000"), ("Host", "127.0.0.1:4000"), ("Content-Type", "application/json")],
            body: Self.mutation)
        #expect(answer.status == 200)
        #expect(answer.data?["createTask"]?["id"] != nil)
    }

    @Test func graphQLWithoutOriginKeepsApplicationGraphQL() async {
        let client = GatewayClient(backend: FakeWorkerBackend())
        let answer = await client.send(
            "POST", "/graphql", headers: [("Content-Type", "application/graphql")], body: Array("{ taskStats { total } }".utf8))
        #expect(answer.status == 200)
    }

    // MARK: Playground (C3b)

    @Test func playgroundCannotBeFramedAndNeverAutorunsAMutation() async {
        let client = GatewayClient(backend: FakeWorkerBackend())
        let page = await client.get("mutation{createTask(input:{type:\"x\"}){id}}", headers: [("Accept", "text/html")])
        #expect(page.status == 200)
        #expect(page.header("X-Frame-Options") == "DENY")
        #expect(page.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
        #expect(page.headers.filter { $0.0 == "X-Frame-Options" }.count == 1)
        // The page's automatic run goes out as GET (scripts/test-playground-browser.sh checks it in
        // a browser), which the gateway refuses for a mutation:
        let automatic = await client.get("mutation{createTask(input:{type:\"x\"}){id}}", headers: [("Accept", "application/json")])
        #expect(automatic.status == 405)
    }
}
