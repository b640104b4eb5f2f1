import Foundation
import TaskCore
import Testing
import WorkerAPI

/// Selection sets with several fields that suspend run those fields concurrently. Issue 11: in the
/// release build every such field got the value of the one that finished last (in slot 0), the
/// others came back null, and enough of them crashed the process. These run the shapes that broke
/// through the gateway's HTTP handler; `scripts/test.sh` runs them on the release build too.
@Suite(.timeLimit(.minutes(1)))
struct GatewayConcurrentFieldsTests {
    /// A backend holding tasks 1...count (types "type-1", ..., priorities cycling 1...20), each with
    /// its "created" log line.
    static func client(tasks count: Int = 3) async throws -> GatewayClient {
        let backend = GatewayTestBackend.make()
        for number in 1...count {
            _ = try await backend.createTask(
                NewTask(type: "type-\(number)", payload: ["n": .integer(Int64(number))], priority: Priority(rawValue: (number - 1) % 20 + 1)!))
        }
        return GatewayClient(backend: backend)
    }

    @Test func twoAliasesOfOneFieldGetTheirOwnTasks() async throws {
        let client = try await Self.client()
        let answer = await client.post(
            #"{ a: task(taskId: "1") { id priorityValue } b: task(taskId: "2") { id priorityValue } }"#)
        #expect(answer.status == 200)
        #expect(answer.errors.isEmpty)
        #expect(answer.data == ["a": ["id": "1", "priorityValue": 1], "b": ["id": "2", "priorityValue": 2]])
    }

    @Test func severalDifferentRootFieldsKeepTheirOwnValues() async throws {
        let client = try await Self.client()
        let answer = await client.post(
            #"{ first: task(taskId: "1") { theId: id kind: type } again: task(taskId: "1") { id } stats: taskStats { total } jobs { id } }"#)
        #expect(answer.status == 200)
        #expect(answer.errors.isEmpty)
        #expect(answer.data == [
            "first": ["theId": "1", "kind": "type-1"], "again": ["id": "1"], "stats": ["total": 3], "jobs": [],
        ])
    }

    @Test func manyAliasesWithDifferentArgumentsEachGetTheirTask() async throws {
        let count = 200
        let client = try await Self.client(tasks: count)
        let fields = (1...count).map { #"t\#($0): task(taskId: "\#($0)") { id type }"# }.joined(separator: " ")
        let answer = await client.post("{ \(fields) }")
        #expect(answer.status == 200)
        #expect(answer.errors.isEmpty)
        let data = answer.data ?? .null
        let wrong = (1...count).filter { data["t\($0)"] != ["id": .string("\($0)"), "type": .string("type-\($0)")] }
        #expect(wrong.isEmpty, "aliases with another task's data or none: \(wrong)")
    }

    @Test func fragmentsMixingSuspendingAndSynchronousFields() async throws {
        let client = try await Self.client()
        let answer = await client.post(
            """
            query { one: task(taskId: "1") { ...Fields } two: task(taskId: "2") { ...Fields ... on Task { status } } }
            fragment Fields on Task { id __typename logs { message } type }
            """)
        #expect(answer.status == 200)
        #expect(answer.errors.isEmpty)
        let created: JSONValue = [["message": "created"]]
        #expect(answer.data?["one"] == ["id": "1", "__typename": "Task", "logs": created, "type": "type-1"])
        #expect(answer.data?["two"] == ["id": "2", "__typename": "Task", "logs": created, "type": "type-2", "status": "PENDING"])
    }

    @Test func nestedSuspendingFieldsInsideAList() async throws {
        let client = try await Self.client(tasks: 4)
        let answer = await client.post(
            "{ tasks(limit: 10) { total tasks { id first: logs(limit: 1) { message } all: logs { level } } } }")
        #expect(answer.status == 200)
        #expect(answer.errors.isEmpty)
        let tasks = answer.data?["tasks"]?["tasks"]?.arrayValue ?? []
        #expect(tasks.map { $0["id"] } == ["4", "3", "2", "1"])
        for task in tasks {
            #expect(task["first"] == [["message": "created"]])
            #expect(task["all"] == [["level": "info"]])
        }
    }

    @Test func concurrentClientsSendingMultiFieldQueries() async throws {
        let client = try await Self.client(tasks: 8)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for round in 0..<32 {
                group.addTask {
                    let a = round % 8 + 1, b = (round + 3) % 8 + 1
                    let answer = await client.post(
                        #"{ a: task(taskId: "\#(a)") { id } b: task(taskId: "\#(b)") { id } s: taskStats { total } }"#)
                    #expect(answer.data == ["a": ["id": .string("\(a)")], "b": ["id": .string("\(b)")], "s": ["total": 8]])
                }
            }
            try await group.waitForAll()
        }
    }
}
