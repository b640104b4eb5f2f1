import Foundation
import TaskCore
import Testing
import WorkerAPI

/// The gateway's HTTP behaviour that does not depend on the schema: health, playground, routing,
/// malformed requests.
@Suite(.timeLimit(.minutes(1)))
struct GatewayHTTPTests {
    @Test func healthIsUpWhenTheWorkerAnswers() async {
        let client = GatewayClient(backend: FakeWorkerBackend())
        let answer = await client.send("GET", "/health")
        #expect(answer.status == 200)
        #expect(answer.json == ["status": "ok", "service": "api-gateway", "worker": "up"])
        #expect(answer.header("Content-Type")?.hasPrefix("application/json") == true)
    }

    @Test func healthIs503WithWorkerDownWhenTheWorkerIsUnreachable() async {
        let client = GatewayClient(backend: GatewayUnreachableBackend())
        let answer = await client.send("GET", "/health")
        #expect(answer.status == 503)
        #expect(answer.json["worker"] == "down")
        #expect(answer.json["service"] == "api-gateway")
    }

    @Test func healthFollowsTheBackend() async {
        let backend = FakeWorkerBackend()
        let client = GatewayClient(backend: backend)
        await backend.setHealthy(false)
        #expect(await client.send("GET", "/health").status == 503)
        await backend.setHealthy(true)
        #expect(await client.send("GET", "/health").status == 200)
    }

    @Test func browsersGetTheSelfContainedPlayground() async {
        let client = GatewayClient(backend: FakeWorkerBackend())
        let answer = await client.send(
            "GET", "/graphql", headers: [("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")])
        #expect(answer.status == 200)
        #expect(answer.header("content-type")?.hasPrefix("text/html") == true)
        let page = answer.text
        #expect(page.contains("<textarea id=\"query\""))
        #expect(page.contains("__schema"))
        #expect(page.contains("autorun"))
        // Self-contained: nothing is loaded from elsewhere.
        #expect(!page.contains("<script src"))
        #expect(!page.contains("<link"))
        #expect(!page.contains("http://"))
        #expect(!page.contains("https://"))
        #expect(!page.contains("@import"))
    }

    @Test func theTrailingSlashIsTheSameEndpoint() async {
        let client = GatewayClient(backend: FakeWorkerBackend())
        let answer = await client.send("GET", "/graphql/", headers: [("Accept", "text/html")])
        #expect(answer.status == 200)
    }

    @Test func aJSONClientDoesNotGetThePlayground() async {
        let client = GatewayClient(backend: FakeWorkerBackend())
        let answer = await client.send("GET", "/graphql", headers: [("Accept", "application/json, text/html")])
        #expect(answer.status == 400)
        #expect(answer.errorCodes == ["BAD_REQUEST"])
    }

    @Test func getWithoutQueryIsABadRequest() async {
        let client = GatewayClient(backend: FakeWorkerBackend())
        let answer = await client.send("GET", "/graphql")
        #expect(answer.status == 400)
        #expect(answer.errors.first?["message"]?.stringValue?.contains("query") == true)
    }

    @Test(arguments: [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ("{\"variables\": {}}", "query: missing"),
        ("{\"query\": 42}", "query: expected a string, found a number"),
        ("{\"query\": \"{ taskStats { total } }\", \"variables\": [1]}", "variables: expected an object, found an array"),
        ("{\"query\": \"{ taskStats { total } }\", \"operationName\": 3}", "operationName: expected a string"),
        ("", "empty"),
    ])
    func malformedBodiesAre400WithAGraphQLShapedError(body: String, expected: String) async {
        let client = GatewayClient(backend: FakeWorkerBackend())
        let answer = await client.send(
            "POST", "/graphql", headers: [("Content-Type", "application/json")], body: Array(body.utf8))
        #expect(answer.status == 400)
        #expect(answer.errorCodes == ["BAD_REQUEST"])
        let message = answer.errors.first?["message"]?.stringValue ?? ""
        #expect(message.contains(expected), "message: \(message)")
    }

    @Test func aBodyOverOneMebibyteIs413() async {
        let client = GatewayClient(backend: FakeWorkerBackend())
        let body = Array(repeating: UInt8(ascii: " "), count: (1 << 20) + 1)
        let answer = await client.send("POST", "/graphql", headers: [("Content-Type", "application/json")], body: body)
        #expect(answer.status == 413)
    }

    @Test func deeplyNestedJSONDoesNotCrash() async {
        let client = GatewayClient(backend: FakeWorkerBackend())
        let nested = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let body = "{\"query\": \"{ taskStats { total } }\", \"variables\": {\"x\": \(nested)}}"
        let answer = await client.send("POST", "/graphql", headers: [("Content-Type", "application/json")], body: Array(body.utf8))
        #expect(answer.status == 400)
    }

    @Test func invalidUTF8BodyIs400() async {
        let client = GatewayClient(backend: FakeWorkerBackend())
        let answer = await client.send(
            "POST", "/graphql", headers: [("Content-Type", "application/json")], body: [0x7B, 0xFF, 0xFE, 0x7D])
        #expect(answer.status == 400)
    }

    @Test(arguments: ["PUT", "DELETE", "PATCH"])
    func otherMethodsOnTheEndpointAre405(method: String) async {
        let client = GatewayClient(backend: FakeWorkerBackend())
        let answer = await client.send(method, "/graphql")
        #expect(answer.status == 405)
        #expect(answer.header("Allow") == "GET, POST")
    }

    @Test func healthOnlyAnswersGET() async {
        let client = GatewayClient(backend: FakeWorkerBackend())
        let answer = await client.send("POST", "/health")
        #expect(answer.status == 405)
        #expect(answer.header("Allow") == "GET")
    }

    @Test func unknownPathsAre404() async {
        let client = GatewayClient(backend: FakeWorkerBackend())
        let answer = await client.send("GET", "/api/tasks")
        #expect(answer.status == 404)
        #expect(answer.json["statusCode"] == 404)
    }

    @Test func malformedPercentEncodingIs400() async {
        let client = GatewayClient(backend: FakeWorkerBackend())
        let answer = await client.send("GET", "/graphql", query: "query=%E0%A4%A")
        #expect(answer.status == 400)
        #expect(answer.errorCodes == ["BAD_REQUEST"])
    }
}

extension GatewayHTTPTests {
    @Test func requestErrorsAreShapedLikeGraphQLErrors() async {
        let client = GatewayClient(backend: FakeWorkerBackend())
        let answer = await client.send("POST", "/graphql", headers: [("Content-Type", "application/json")], body: Array("{\"query\": 1}".utf8))
        #expect(answer.text == "{\"errors\":[{\"message\":\"query: expected a string, found a number\",\"extensions\":{\"code\":\"BAD_REQUEST\"}}]}")
    }
}
