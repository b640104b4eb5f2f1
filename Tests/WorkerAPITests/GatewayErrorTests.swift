import Foundation
import TaskCore
import Testing
import WorkerAPI

/// Errors: their `extensions.code`, message, locations, path and the HTTP status.
@Suite(.timeLimit(.minutes(1)))
struct GatewayErrorTests {
    @Test func anUnknownTaskIsNullWithNotFound() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.post("{ task(taskId: \"42\") { id } }")
        #expect(answer.status == 200)
        #expect(answer.data == ["task": nil])
        #expect(answer.errorCodes == ["NOT_FOUND"])
        #expect(answer.errors.first?["message"] == "Task 42 not found")
        #expect(answer.errors.first?["path"] == ["task"])
        #expect(answer.errors.first?["locations"] == [["line": 1, "column": 3]])
    }

    @Test func anIdThatIsNotANumberIsNotFound() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.post("{ task(taskId: \"abc\") { id } job(jobId: \"-1\") { id } }")
        #expect(answer.data == ["task": nil, "job": nil])
        #expect(answer.errorCodes == ["NOT_FOUND", "NOT_FOUND"])
    }

    @Test func anUnknownJobIsNullWithNotFound() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.post("{ job(jobId: \"9\") { id } }")
        #expect(answer.data == ["job": nil])
        #expect(answer.errorCodes == ["NOT_FOUND"])
        #expect(answer.errors.first?["message"] == "Job 9 not found")
    }

    @Test(arguments: [
        "mutation { cancelTask(taskId: \"5\") }",
        "mutation { retryTask(taskId: \"5\") { id } }",
        "mutation { pauseJob(jobId: \"5\") }",
        "mutation { resumeJob(jobId: \"5\") }",
        "mutation { deleteJob(jobId: \"5\") }",
        "mutation { triggerJob(jobId: \"5\") { id } }",
        "mutation { updateJob(jobId: \"5\", input: {name: \"x\"}) { id } }",
        "{ taskLogs(taskId: \"5\") { message } }",
    ])
    func mutationsOnUnknownIdsAreNotFoundAndNullTheirData(document: String) async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.post(document)
        #expect(answer.status == 200)
        #expect(answer.json["data"] == .null)
        #expect(answer.errorCodes == ["NOT_FOUND"])
    }

    @Test func cancellingACancelledTaskIsABadRequest() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        _ = await client.post("mutation { createTask(input: {type: \"email\"}) { id } }")
        #expect(await client.post("mutation { cancelTask(taskId: \"1\") }").data == ["cancelTask": true])
        let again = await client.post("mutation { cancelTask(taskId: \"1\") }")
        #expect(again.status == 200)
        #expect(again.json["data"] == .null)
        #expect(again.errorCodes == ["BAD_REQUEST"])
        #expect(again.errors.first?["message"] == "Cannot cancel task 1: status is cancelled")
        #expect(again.errors.first?["path"] == ["cancelTask"])
    }

    @Test func retryingAPendingTaskIsABadRequest() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        _ = await client.post("mutation { createTask(input: {type: \"email\"}) { id } }")
        let answer = await client.post("mutation { retryTask(taskId: \"1\") { id } }")
        #expect(answer.errorCodes == ["BAD_REQUEST"])
        #expect(answer.errors.first?["message"]?.stringValue?.contains("Cannot retry task 1") == true)
    }

    @Test(arguments: [
        ("{ tasks(limit: 0) { total } }", "limit"),
        ("{ tasks(limit: 1001) { total } }", "limit"),
        ("{ tasks(offset: -1) { total } }", "offset"),
        ("{ taskLogs(taskId: \"1\", limit: 0) { message } }", "limit"),
        ("mutation { createTask(input: {type: \"\"}) { id } }", "type"),
        ("mutation { createTask(input: {type: \"email\", maxAttempts: 0}) { id } }", "maxAttempts"),
        ("mutation { createTask(input: {type: \"email\", payload: \"text\"}) { id } }", "payload"),
        ("mutation { createTask(input: {type: \"email\", payload: [1]}) { id } }", "payload"),
        ("mutation { createJob(input: {name: \"n\", type: \"backup\", schedule: \"61 * * * *\"}) { id } }", "minute: 61"),
        ("mutation { createJob(input: {name: \"n\", type: \"backup\", schedule: \"* * * * *\", timezone: \"Mars/Base\"}) { id } }", "timezone"),
        ("mutation { createJob(input: {name: \"\", type: \"backup\", schedule: \"* * * * *\"}) { id } }", "name"),
    ])
    func badInputIsABadRequestNamingTheField(document: String, field: String) async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        _ = await client.post("mutation { createTask(input: {type: \"email\"}) { id } }")
        let answer = await client.post(document)
        #expect(answer.status == 200)
        #expect(answer.errorCodes == ["BAD_REQUEST"])
        let message = answer.errors.first?["message"]?.stringValue ?? ""
        #expect(message.contains(field), "message: \(message)")
    }

    @Test(arguments: [
        "{ tasks { total } }",
        "{ task(taskId: \"1\") { id } }",
        "{ taskStats { total } }",
        "{ jobs { id } }",
        "mutation { createTask(input: {type: \"email\"}) { id } }",
        "mutation { cancelTask(taskId: \"1\") }",
    ])
    func anUnreachableWorkerIsServiceUnavailable(document: String) async {
        let client = GatewayClient(backend: GatewayUnreachableBackend())
        let answer = await client.post(document)
        #expect(answer.status == 200)
        #expect(answer.errorCodes == ["SERVICE_UNAVAILABLE"])
        #expect(answer.errors.first?["message"] == "Worker Service is unavailable")
    }

    @Test(arguments: [
        ("{ tasks { total }", 1, 18),
        ("query {\n  task(taskId: \"1\") {\n    id\n  ", 4, 3),
        ("{ task(taskId: \"1) { id } }", 1, 28),
        ("mutation { cancelTask(taskId: 1 2) }", 1, 33),
    ])
    func documentsThatDoNotParseAre400WithLineAndColumn(document: String, line: Int, column: Int) async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.post(document)
        #expect(answer.status == 400)
        #expect(answer.json["data"] == nil)
        #expect(answer.errorCodes == ["GRAPHQL_PARSE_FAILED"])
        #expect(answer.errors.first?["locations"] == [["line": .integer(Int64(line)), "column": .integer(Int64(column))]])
    }

    @Test(arguments: [
        ("{ tasks { total nope } }", 1, 17),
        ("{\n  task { id }\n}", 2, 3),
        ("{ taskStats }", 1, 3),
        ("{ tasks(status: DONE) { total } }", 1, 17),
        ("mutation { createTask(input: {type: \"email\", priority: URGENT}) { id } }", 1, 56),
        ("mutation { createTask(input: {type: \"email\", runAt: \"yesterday\"}) { id } }", 1, 53),
        ("mutation { createTask(input: {payload: {}}) { id } }", 1, 30),
        ("query { jobs { lastTaskId } }", 1, 16),
    ])
    func invalidDocumentsAre400WithLineAndColumn(document: String, line: Int, column: Int) async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.post(document)
        #expect(answer.status == 400)
        #expect(answer.json["data"] == nil)
        #expect(answer.errorCodes.first == "GRAPHQL_VALIDATION_FAILED")
        #expect(answer.errors.first?["locations"] == [["line": .integer(Int64(line)), "column": .integer(Int64(column))]])
    }

    @Test func variablesOfTheWrongTypeAreABadRequest() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.post(
            "query($id: ID!) { task(taskId: $id) { id } }", variables: ["id": ["not": "an id"]])
        #expect(answer.status == 400)
        #expect(answer.errorCodes == ["BAD_REQUEST"])
    }

    @Test func aMissingRequiredVariableIsABadRequest() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.post("query($id: ID!) { task(taskId: $id) { id } }")
        #expect(answer.status == 400)
        #expect(answer.errorCodes == ["BAD_REQUEST"])
    }

    @Test func anUnknownOperationNameIs400() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.post("query A { taskStats { total } }", operationName: "B")
        #expect(answer.status == 400)
        #expect(!answer.errors.isEmpty)
    }
}

/// The gateway in split mode, against a worker address where nothing listens.
@Suite(.timeLimit(.minutes(1)))
struct GatewayRemoteBackendTests {
    @Test func aWorkerThatIsNotListeningIsServiceUnavailable() async throws {
        // Port 1 on the loopback interface: the connection is refused at once.
        let backend = try RemoteWorkerBackend(baseURL: "http://127.0.0.1:1", timeout: .seconds(10))
        let client = GatewayClient(backend: backend)
        let answer = await client.post("{ task(taskId: \"1\") { id } taskStats { total } }")
        #expect(answer.status == 200)
        #expect(answer.json["data"] == .null)
        #expect(answer.errorCodes.allSatisfy { $0 == "SERVICE_UNAVAILABLE" })
        #expect(answer.errors.first?["message"] == "Worker Service is unavailable")
        let health = await client.send("GET", "/health")
        #expect(health.status == 503)
        #expect(health.json["worker"] == "down")
    }
}

/// Hostile documents are refused with a clear error, never a crash.
@Suite(.timeLimit(.minutes(1)))
struct GatewayHostileInputTests {
    @Test(arguments: [
        String(repeating: "{", count: 100_000),
        "{ tasks " + String(repeating: "{ tasks ", count: 5_000) + String(repeating: "}", count: 5_001),
        "{ " + (0..<20_000).map { "a\($0): taskStats { total }" }.joined(separator: " ") + " }",
        String(repeating: "#", count: 2_000_000),
    ])
    func hostileDocumentsAre400(document: String) async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.post(document)
        #expect(answer.status == 400 || answer.status == 413)
        #expect(answer.json["data"] == nil)
        #expect(!answer.errors.isEmpty)
    }

    @Test func invalidUTF8InTheQueryStringIs400() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.send("GET", "/graphql", query: "query=%7B%FF%FE%7D")
        #expect(answer.status == 400)
        #expect(answer.errorCodes == ["BAD_REQUEST"])
    }

    @Test func deeplyNestedJSONVariablesAre400() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let nested = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        let body = "{\"query\": \"query($p: JSON) { taskStats { total } }\", \"variables\": {\"p\": \(nested)}}"
        let answer = await client.send("POST", "/graphql", headers: [("Content-Type", "application/json")], body: Array(body.utf8))
        #expect(answer.status == 400)
        #expect(answer.errorCodes == ["BAD_REQUEST"])
    }
}
