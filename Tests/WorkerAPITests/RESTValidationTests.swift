import Foundation
import TaskCore
import Testing
import WorkerAPI

/// One bad request and the 400 it must get.
struct RESTBadRequest: CustomTestStringConvertible, Sendable {
    var method = "POST"
    var target = "/api/tasks"
    var body: String?
    var message: String

    var testDescription: String { "\(method) \(target) \(body ?? "") → \(message)" }
}

@Suite struct RESTValidationTests {
    static let createTaskCases: [RESTBadRequest] = [
        .init(body: #"{"type":"email""#, message: "Malformed JSON: unexpected end of input"),
        .init(body: #"{"type":"email",}"#, message: "Malformed JSON: unexpected character '}' where an object key was expected at line 1, column 17"),
        .init(body: "", message: "Request body is empty: expected a JSON object"),
        .init(body: "[1,2]", message: "Request body must be a JSON object, found array"),
        .init(body: "{}", message: "type: required field is missing"),
        .init(body: #"{"type":42}"#, message: "type: expected a string, found number"),
        .init(body: #"{"type":null}"#, message: "type: expected a string, found null"),
        .init(body: #"{"type":""}"#, message: "type: must be a non-empty string"),
        .init(body: #"{"type":"a\u0001b"}"#, message: "type: must not contain control characters"),
        .init(body: #"{"type":"\#(String(repeating: "x", count: 201))"}"#, message: "type: must be at most 200 characters, found 201"),
        .init(body: #"{"type":"email","color":"red"}"#, message: "color: unknown field, expected one of type, payload, priority, maxAttempts, runAt, delayMs, timeoutMs, uniqueKey"),
        .init(body: #"{"type":"email","payload":[1]}"#, message: "payload: expected an object, found array"),
        .init(body: #"{"type":"email","payload":"x"}"#, message: "payload: expected an object, found string"),
        .init(body: #"{"type":"email","priority":0}"#, message: "priority: 0 is out of range 1-20"),
        .init(body: #"{"type":"email","priority":21}"#, message: "priority: 21 is out of range 1-20"),
        .init(body: #"{"type":"email","priority":5.5}"#, message: "priority: expected an integer 1-20 or LOW, NORMAL, HIGH, CRITICAL, found 5.5"),
        .init(body: #"{"type":"email","priority":"urgent"}"#, message: "priority: 'urgent' is not a number in 1-20 or one of LOW, NORMAL, HIGH, CRITICAL"),
        .init(body: #"{"type":"email","priority":true}"#, message: "priority: expected an integer 1-20 or LOW, NORMAL, HIGH, CRITICAL, found boolean"),
        .init(body: #"{"type":"email","maxAttempts":0}"#, message: "maxAttempts: 0 is out of range 1-100"),
        .init(body: #"{"type":"email","maxAttempts":"3"}"#, message: "maxAttempts: expected an integer, found string"),
        .init(body: #"{"type":"email","runAt":"tomorrow"}"#, message: "runAt: 'tomorrow' is not an ISO 8601 timestamp"),
        .init(body: #"{"type":"email","delayMs":-1}"#, message: "delayMs: -1 is out of range 0-315360000000"),
        .init(body: #"{"type":"email","timeoutMs":0}"#, message: "timeoutMs: 0 is out of range 1-2147483647"),
        .init(body: #"{"type":"email","runAt":"2026-12-01T00:00:00Z","delayMs":5}"#, message: "runAt, delayMs: give at most one of runAt and delayMs, not both"),
        .init(body: #"{"type":"email","uniqueKey":""}"#, message: "uniqueKey: expected a non-empty string"),
        .init(body: #"{"type":"email","uniqueKey":7}"#, message: "uniqueKey: expected a string, found number"),
        .init(body: #"{"type":"email","type":"sms"}"#, message: "Malformed JSON: duplicate key 'type'"),
        .init(body: String(repeating: "[", count: 65) + String(repeating: "]", count: 65), message: "Malformed JSON: nesting deeper than 64 levels"),
        .init(body: #"{"type":"email","payload":{"n":1e400}}"#, message: "Malformed JSON: the number 1e400 is out of range"),
    ]

    @Test(arguments: createTaskCases)
    func createTaskRejects(_ bad: RESTBadRequest) async {
        let rest = RESTHarness()
        let answer = await rest.send(bad.method, bad.target, body: bad.body)
        answer.expectError(400, bad.message)
        #expect(await rest.backend.tasks.isEmpty)
    }

    static let queryCases: [RESTBadRequest] = [
        .init(method: "GET", target: "/api/tasks?limit=0", message: "limit: 0 is out of range 1-1000"),
        .init(method: "GET", target: "/api/tasks?limit=1001", message: "limit: 1001 is out of range 1-1000"),
        .init(method: "GET", target: "/api/tasks?limit=ten", message: "limit: 'ten' is not an integer"),
        .init(method: "GET", target: "/api/tasks?offset=-1", message: "offset: -1 must be 0 or more"),
        .init(method: "GET", target: "/api/tasks?status=done", message: "status: unknown value 'done', expected one of pending, processing, completed, failed, cancelled, retrying"),
        .init(method: "GET", target: "/api/tasks?status=pending,bogus", message: "status: unknown value 'bogus'"),
    ]

    @Test(arguments: queryCases)
    func listTasksRejects(_ bad: RESTBadRequest) async {
        await RESTHarness().send(bad.method, bad.target).expectError(400, bad.message)
    }

    @Test(.timeLimit(.minutes(1)))
    func invalidUTF8IsA400() async {
        let rest = RESTHarness()
        var body = Array(#"{"type":"e"#.utf8)
        body += [0xC3, 0x28]
        body += Array(#""}"#.utf8)
        let response = await rest.router.respond(
            to: RESTRequest(method: "POST", path: "/api/tasks", headers: [("Content-Type", "application/json")], body: body))
        RESTAnswer(response: response).expectError(400, "Malformed JSON: invalid UTF-8 sequence")
    }

    @Test(.timeLimit(.minutes(1)))
    func nullOptionalFieldsCountAsAbsent() async {
        let rest = RESTHarness()
        let answer = await rest.send(
            "POST", "/api/tasks", body: #"{"type":"email","payload":null,"priority":null,"uniqueKey":null,"runAt":null}"#)
        #expect(answer.status == 201)
        #expect(answer.json["priority"] == 5)
    }

    @Test(.timeLimit(.minutes(1)))
    func badFieldNameGoesIntoAHeader() async {
        let answer = await RESTHarness().send("POST", "/api/tasks", body: #"{"type":"email","priority":99}"#)
        #expect(answer.header("X-Error-Code") == "invalid_argument")
        #expect(answer.header("X-Error-Field") == "priority")
    }
}
