import Foundation
import TaskCore
import Testing
import WorkerAPI

/// The gateway rows of issue 12 (W2, W4, D2), over HTTP without a socket.
@Suite(.timeLimit(.minutes(1)))
struct GatewayIssue12Tests {
    @Test(arguments: [("post", 501), ("get", 501), ("BREW", 405), ("QUERY", 405)])
    func methodsAreCaseSensitive(method: String, status: Int) async {
        let client = GatewayClient(backend: FakeWorkerBackend())
        let answer = await client.send(
            method, "/graphql", headers: [("Content-Type", "application/json")],
            body: Array(#"{"query":"mutation{createTask(input:{type:\"x\"}){id}}"}"#.utf8))
        #expect(answer.status == status)
        #expect(answer.json["statusCode"] == .integer(Int64(status)))
    }

    @Test func notFoundDoesNotEchoAHugeId() async {
        let client = GatewayClient(backend: FakeWorkerBackend())
        let huge = String(repeating: "9", count: 900_000)
        let answer = await client.post(#"{ task(taskId: "\#(huge)") { id } }"#)
        #expect(answer.errorCodes == ["NOT_FOUND"])
        #expect(answer.body.count < 1000)
        let combining = "1" + String(repeating: "\u{301}", count: 50_000)
        let second = await client.post(#"{ job(jobId: "\#(combining)") { id } }"#)
        #expect(second.errorCodes == ["NOT_FOUND"])
        #expect(second.body.count < 1000)
    }

    @Test func leadingZeroIdIsNotFound() async throws {
        let backend = FakeWorkerBackend()
        _ = try await backend.createTask(NewTask(type: "email"))
        let client = GatewayClient(backend: backend)
        #expect(await client.post(#"{ task(taskId: "1") { id } }"#).errorCodes.isEmpty)
        #expect(await client.post(#"{ task(taskId: "01") { id } }"#).errorCodes == ["NOT_FOUND"])
    }

    /// D2: 500 aliases of a full `__schema` selection stop at the response budget with a clear error.
    @Test func aliasedIntrospectionHitsTheResponseBudget() async {
        let client = GatewayClient(backend: FakeWorkerBackend())
        let fragment = "fragment F on __Schema { types { name kind fields(includeDeprecated: true) { name args { name type { name kind ofType { name kind ofType { name } } } } type { name kind ofType { name kind ofType { name } } } } } }"
        let aliases = (0..<500).map { "a\($0): __schema { ...F }" }.joined(separator: " ")
        let start = ContinuousClock.now
        let answer = await client.post("{ \(aliases) } \(fragment)")
        #expect(answer.errorCodes == ["RESPONSE_TOO_LARGE"])
        #expect(answer.data == nil || answer.data == .null)
        #expect(answer.body.count < 2000)
        #expect(ContinuousClock.now - start < .seconds(20))
        // One introspection of the whole schema is well within the budget.
        let one = await client.post("{ __schema { ...F } } \(fragment)")
        #expect(one.errorCodes.isEmpty && one.status == 200)
    }

    /// Large values under many aliases stay within the value budget (5 payloads of 1 MB, 100
    /// aliases: 500 MB); the writing stops at the byte limit instead of building all of it first.
    @Test func largePayloadsUnderManyAliasesStopAtTheByteLimit() async throws {
        let backend = FakeWorkerBackend()
        for _ in 0..<5 {
            _ = try await backend.createTask(NewTask(type: "email", payload: ["blob": .string(String(repeating: "x", count: 1_000_000))]))
        }
        let client = GatewayClient(backend: backend)
        let aliases = (0..<100).map { "a\($0): tasks(limit: 5) { tasks { payload } }" }.joined(separator: " ")
        let start = ContinuousClock.now
        let answer = await client.post("{ \(aliases) }")
        #expect(answer.errorCodes == ["RESPONSE_TOO_LARGE"])
        #expect(answer.body.count < 1000)
        #expect(ContinuousClock.now - start < .seconds(20))
        // Under the limit the same selection is answered.
        let one = await client.post("{ tasks(limit: 5) { tasks { payload } } }")
        #expect(one.errorCodes.isEmpty && one.status == 200 && one.body.count > 5_000_000)
    }

    /// A payload of 60,000 keys (about 1 MB) is converted in linear time (it took minutes).
    @Test func aPayloadOfManyKeysIsAnsweredQuickly() async throws {
        let backend = FakeWorkerBackend()
        var members: [String: JSONValue] = [:]
        for index in 0..<60_000 { members["k\(index)"] = .integer(Int64(index)) }
        let task = try await backend.createTask(NewTask(type: "email", payload: .object(members))).task
        let client = GatewayClient(backend: backend)
        let start = ContinuousClock.now
        let answer = await client.post(#"{ task(taskId: "\#(task.id)") { payload } }"#)
        #expect(ContinuousClock.now - start < .seconds(20))
        #expect(answer.errorCodes.isEmpty && answer.status == 200 && answer.body.count > 600_000)
    }
}

