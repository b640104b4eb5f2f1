import Foundation
import TaskCore
import Testing
import WorkerAPI

/// GraphQL over HTTP as the specification asks: the response media type follows `Accept`
/// (`application/graphql-response+json` when the client names it), 406 for an `Accept` the
/// gateway cannot meet, and a clear code for persisted-query requests.
@Suite(.timeLimit(.minutes(1)))
struct GatewayOverHTTPSpecTests {
    static func post(_ client: GatewayClient, accept: String?, body: String) async -> GatewayTestAnswer {
        var headers = [("Content-Type", "application/json")]
        if let accept { headers.append(("Accept", accept)) }
        return await client.send("POST", "/graphql", headers: headers, body: Array(body.utf8))
    }

    static let query = #"{"query": "{ taskStats { total } }"}"#

    @Test(arguments: [
        (nil as String?, "application/json"),
        ("*/*", "application/json"),
        ("application/*", "application/json"),
        ("application/json", "application/json"),
        ("application/graphql-response+json", "application/graphql-response+json"),
        ("application/graphql-response+json, application/json", "application/graphql-response+json"),
        ("application/json, application/graphql-response+json", "application/graphql-response+json"),
        ("application/json;q=1, application/graphql-response+json;q=0.5", "application/json"),
        ("application/graphql-response+json;q=0.9, */*;q=0.1", "application/graphql-response+json"),
        ("text/plain, application/json;q=0.2", "application/json"),
    ])
    func theResponseTypeFollowsAccept(accept: String?, expected: String) async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await Self.post(client, accept: accept, body: Self.query)
        #expect(answer.status == 200)
        #expect(answer.header("Content-Type") == expected + "; charset=utf-8")
        #expect(answer.data == ["taskStats": ["total": 0]])
    }

    @Test(arguments: ["text/xml", "application/xml, text/plain", "application/json;q=0", "image/png"])
    func anAcceptThatCannotBeMetIs406(accept: String) async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await Self.post(client, accept: accept, body: Self.query)
        #expect(answer.status == 406)
        #expect(answer.errorCodes == ["NOT_ACCEPTABLE"])
        #expect(answer.errors.first?["message"]?.stringValue?.contains("application/graphql-response+json") == true)
    }

    @Test func requestErrorsUnderTheNewTypeAre4xxWithoutData() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        for body in [#"{"query": "{ taskStats { total "}"#, #"{"query": "{ nope }"}"#, "{not json"] {
            let answer = await Self.post(client, accept: "application/graphql-response+json", body: body)
            #expect(answer.status == 400, "\(body)")
            #expect(answer.header("Content-Type") == "application/graphql-response+json; charset=utf-8")
            #expect(answer.json["data"] == nil)
        }
    }

    @Test func aFieldErrorWithPartialDataIs200UnderTheNewType() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await Self.post(
            client, accept: "application/graphql-response+json",
            body: #"{"query": "{ task(taskId: \"404\") { id } taskStats { total } }"}"#)
        #expect(answer.status == 200)
        #expect(answer.errorCodes == ["NOT_FOUND"])
        #expect(answer.data == ["task": nil, "taskStats": ["total": 0]])
    }

    @Test func aPersistedQueryHashWithoutTheDocumentAsksForTheDocument() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let body = #"{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38"}}}"#
        let answer = await Self.post(client, accept: nil, body: body)
        #expect(answer.status == 400)
        #expect(answer.errorCodes == ["PERSISTED_QUERY_NOT_FOUND"])
        #expect(answer.errors.first?["message"] == "PersistedQueryNotFound")

        let overGET = await client.send(
            "GET", "/graphql",
            query: "extensions=%7B%22persistedQuery%22%3A%7B%22version%22%3A1%2C%22sha256Hash%22%3A%22ab%22%7D%7D")
        #expect(overGET.status == 400)
        #expect(overGET.errorCodes == ["PERSISTED_QUERY_NOT_FOUND"])

        // The client's second try, with the document, runs as usual.
        let retried = await Self.post(
            client, accept: nil,
            body: #"{"query": "{ taskStats { total } }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "x"}}}"#)
        #expect(retried.status == 200)
        #expect(retried.data == ["taskStats": ["total": 0]])
    }
}
