import GraphQLLite
import Foundation
import TaskCore
import Testing
import WorkerAPI

/// GraphQL over HTTP: POST and GET, variables, operation names, mutations over GET.
@Suite(.timeLimit(.minutes(1)))
struct GatewayTransportTests {
    @Test func postAnswersJSONWith200() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.post("{ taskStats { total } }")
        #expect(answer.status == 200)
        #expect(answer.header("Content-Type") == "application/json; charset=utf-8")
        #expect(answer.json == ["data": ["taskStats": ["total": 0]]])
    }

    @Test func postWithoutContentTypeIsReadAsJSON() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.send("POST", "/graphql", body: Array("{\"query\":\"{ taskStats { total } }\"}".utf8))
        #expect(answer.status == 200)
        #expect(answer.data == ["taskStats": ["total": 0]])
    }

    @Test func postWithApplicationGraphQLTakesTheDocumentAsTheBody() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.send(
            "POST", "/graphql", headers: [("content-type", "application/graphql")], body: Array("{ taskStats { total } }".utf8))
        #expect(answer.data == ["taskStats": ["total": 0]])
    }

    @Test func getRunsQueriesWithVariables() async throws {
        let backend = GatewayTestBackend.make()
        _ = try await backend.createTask(NewTask(type: "email"))
        let client = GatewayClient(backend: backend)
        let answer = await client.get("query($id: ID!) { task(taskId: $id) { id type } }", variables: "{\"id\": \"1\"}")
        #expect(answer.status == 200)
        #expect(answer.data == ["task": ["id": "1", "type": "email"]])
    }

    @Test func getWithFormEncodedSpaces() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.send("GET", "/graphql", query: "query=%7B+taskStats+%7B+total+%7D+%7D")
        #expect(answer.status == 200)
        #expect(answer.data == ["taskStats": ["total": 0]])
    }

    @Test func aMutationOverGETIs405AndChangesNothing() async throws {
        let backend = GatewayTestBackend.make()
        let client = GatewayClient(backend: backend)
        let answer = await client.get("mutation { createTask(input: {type: \"email\"}) { id } }")
        #expect(answer.status == 405)
        #expect(answer.header("Allow") == "POST")
        #expect(try await backend.listTasks(TaskQuery()).total == 0)
    }

    @Test func getPicksTheQueryOperationByName() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let document = "query Stats { taskStats { total } } mutation Make { createTask(input: {type: \"e\"}) { id } }"
        var items = URLComponents()
        items.queryItems = [URLQueryItem(name: "query", value: document), URLQueryItem(name: "operationName", value: "Stats")]
        let ok = await client.send("GET", "/graphql", query: items.percentEncodedQuery)
        #expect(ok.status == 200)
        #expect(ok.data == ["taskStats": ["total": 0]])
        items.queryItems = [URLQueryItem(name: "query", value: document), URLQueryItem(name: "operationName", value: "Make")]
        let refused = await client.send("GET", "/graphql", query: items.percentEncodedQuery)
        #expect(refused.status == 405)
    }

    @Test func postPicksTheOperationByName() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let document = "query A { taskStats { total } } query B { jobs { id } }"
        #expect(await client.post(document, operationName: "B").data == ["jobs": []])
        #expect(await client.post(document, operationName: "A").data == ["taskStats": ["total": 0]])
        #expect(await client.post(document).status == 400)
    }

    @Test func aliasesAndFragmentsWork() async throws {
        let backend = GatewayTestBackend.make()
        _ = try await backend.createTask(NewTask(type: "email"))
        _ = try await backend.createTask(NewTask(type: "backup"))
        let client = GatewayClient(backend: backend)
        let answer = await client.post(
            """
            query { first: task(taskId: "1") { ...T } second: task(taskId: "2") { ...T } }
            fragment T on Task { id kind: type }
            """)
        #expect(answer.data == ["first": ["id": "1", "kind": "email"], "second": ["id": "2", "kind": "backup"]])
    }

    @Test func headAnswersWithoutABody() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.send("HEAD", "/health")
        #expect(answer.status == 200)
        #expect(answer.body.isEmpty)
    }

    @Test func theSameDocumentTwiceGivesTheSameAnswer() async {
        // The second run comes from the document cache.
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let first = await client.post("{ taskStats { total } jobs { id } }")
        let second = await client.post("{ taskStats { total } jobs { id } }")
        #expect(first.body == second.body)
        let bad = await client.post("{ nope }")
        let badAgain = await client.post("{ nope }")
        #expect(bad.status == 400 && badAgain.status == 400)
        #expect(bad.body == badAgain.body)
    }

    @Test func responsesKeepTheOrderOfTheSelection() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.post("{ taskStats { retrying total pending } }")
        #expect(answer.text == "{\"data\":{\"taskStats\":{\"retrying\":0,\"total\":0,\"pending\":0}}}")
    }
}

extension GatewayTransportTests {
    @Test func theEndpointPathCanBeChosen() async {
        let handler = GatewayHTTPHandler(backend: GatewayTestBackend.make(), graphQLPath: "/api/graphql")
        let body = Array("{\"query\": \"{ taskStats { total } }\"}".utf8)
        let moved = await handler.handle(method: "POST", path: "/api/graphql", query: nil, headers: [], body: body)
        #expect(moved.status == 200)
        let old = await handler.handle(method: "POST", path: "/graphql", query: nil, headers: [], body: body)
        #expect(old.status == 404)
    }

    @Test func optionsListsTheMethods() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.send("OPTIONS", "/graphql")
        #expect(answer.status == 204)
        #expect(answer.header("Allow") == "GET, POST, HEAD, OPTIONS")
    }

    @Test func executeRunsWithoutHTTP() async {
        let handler = GatewayHTTPHandler(backend: GatewayTestBackend.make())
        let response = await handler.execute("query($n: Int) { tasks(limit: $n) { total } }", variables: ["n": 5])
        #expect(response.failure == nil)
        #expect(response.errors.isEmpty)
        #expect(response.data == ["tasks": ["total": 0]])
        let refused = await handler.execute("mutation { deleteJob(jobId: \"1\") }", allowMutations: false)
        #expect(refused.failure == .operationNotAllowed)
    }
}
