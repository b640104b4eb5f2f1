import Foundation
import TaskCore
import Testing
import WorkerAPI

/// The schema is exactly the contract's SDL (API.md section 3), as introspection shows it.
@Suite(.timeLimit(.minutes(1)))
struct GatewaySchemaTests {
    /// The contract's SDL, one line per field, argument list and default.
    /// API.md section 8: the subscription root.
    static let subscriptionContract: [String] = [
        "type Subscription.taskUpdated(taskId: ID, type: String, queue: String, batchId: ID): Task!",
        "type Subscription.jobUpdated(jobId: ID): Job!",
    ]

    static let contract: [String] = flowContract + workflowContract + subscriptionContract + [
        "scalar DateTime",
        "scalar JSON",
        "enum JobStatus: ACTIVE PAUSED FAILED",
        "enum Priority: LOW NORMAL HIGH CRITICAL",
        "enum TaskStatus: PENDING PROCESSING COMPLETED FAILED CANCELLED RETRYING BLOCKED",
        "input CreateJobInput.name: String!",
        "input CreateJobInput.type: String!",
        "input CreateJobInput.schedule: String!",
        "input CreateJobInput.payload: JSON = {}",
        "input CreateJobInput.timezone: String = \"UTC\"",
        "input CreateJobInput.priority: Priority = NORMAL",
        "input CreateTaskInput.type: String!",
        "input CreateTaskInput.payload: JSON = {}",
        "input CreateTaskInput.priority: Priority = NORMAL",
        "input CreateTaskInput.maxAttempts: Int",
        "input CreateTaskInput.runAt: DateTime",
        "input CreateTaskInput.uniqueKey: String",
        "input UpdateJobInput.name: String",
        "input UpdateJobInput.schedule: String",
        "input UpdateJobInput.payload: JSON",
        "input UpdateJobInput.timezone: String",
        "input UpdateJobInput.priority: Priority",
        "type Job.id: ID!", "type Job.name: String!", "type Job.type: String!", "type Job.schedule: String!",
        "type Job.timezone: String!", "type Job.payload: JSON!", "type Job.priority: Priority!",
        "type Job.status: JobStatus!", "type Job.lastRun: DateTime", "type Job.nextRun: DateTime",
        "type Job.runCount: Int!", "type Job.createdAt: DateTime!",
        "type Mutation.createTask(input: CreateTaskInput!): Task!",
        "type Mutation.cancelTask(taskId: ID!): Boolean!",
        "type Mutation.retryTask(taskId: ID!, resetAttempts: Boolean = false): Task!",
        "type Mutation.createJob(input: CreateJobInput!): Job!",
        "type Mutation.pauseJob(jobId: ID!): Boolean!",
        "type Mutation.resumeJob(jobId: ID!): Boolean!",
        "type Mutation.deleteJob(jobId: ID!): Boolean!",
        "type Mutation.triggerJob(jobId: ID!): Task!",
        "type Mutation.updateJob(jobId: ID!, input: UpdateJobInput!): Job!",
        "type Query.tasks(status: TaskStatus, type: String, limit: Int = 50, offset: Int = 0, filter: TaskFilter): TaskList!",
        "type Query.task(taskId: ID!): Task",
        "type Query.taskLogs(taskId: ID!, limit: Int = 100): [TaskLog!]!",
        "type Query.taskStats: TaskStats!",
        "type Query.jobs: [Job!]!",
        "type Query.job(jobId: ID!): Job",
        "type Task.id: ID!", "type Task.type: String!", "type Task.status: TaskStatus!",
        "type Task.priority: Priority!", "type Task.priorityValue: Int!", "type Task.payload: JSON!",
        "type Task.result: JSON", "type Task.error: String", "type Task.attempts: Int!",
        "type Task.maxAttempts: Int!", "type Task.jobId: ID", "type Task.runAt: DateTime!",
        "type Task.createdAt: DateTime!", "type Task.updatedAt: DateTime!", "type Task.startedAt: DateTime",
        "type Task.completedAt: DateTime", "type Task.progress: Int", "type Task.uniqueKey: String",
        "type Task.logs(limit: Int = 100): [TaskLog!]!",
        "type TaskList.tasks: [Task!]!", "type TaskList.total: Int!",
        "type TaskLog.timestamp: DateTime!", "type TaskLog.level: String!", "type TaskLog.message: String!",
        "type TaskLog.attempt: Int",
        "type TaskStats.total: Int!", "type TaskStats.pending: Int!", "type TaskStats.processing: Int!",
        "type TaskStats.completed: Int!", "type TaskStats.failed: Int!", "type TaskStats.cancelled: Int!",
        "type TaskStats.retrying: Int!",
    ]

    static let introspection = """
        query {
          __schema {
            queryType { name } mutationType { name } subscriptionType { name }
            types {
              kind name
              fields { name args { name defaultValue type { ...Ref } } type { ...Ref } }
              inputFields { name defaultValue type { ...Ref } }
              enumValues { name }
            }
          }
        }
        fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }
        """

    static func typeName(_ ref: JSONValue?) -> String {
        guard let ref else { return "?" }
        switch ref["kind"]?.stringValue {
        case "NON_NULL": return typeName(ref["ofType"]) + "!"
        case "LIST": return "[" + typeName(ref["ofType"]) + "]"
        default: return ref["name"]?.stringValue ?? "?"
        }
    }

    static func argument(_ arg: JSONValue) -> String {
        var text = "\(arg["name"]?.stringValue ?? "?"): \(typeName(arg["type"]))"
        if let value = arg["defaultValue"]?.stringValue { text += " = \(value)" }
        return text
    }

    /// The schema as the lines of ``contract``, read by introspection.
    static func lines(_ schema: JSONValue) -> [String] {
        var lines: [String] = []
        for type in schema["types"]?.arrayValue ?? [] {
            let name = type["name"]?.stringValue ?? ""
            guard !name.hasPrefix("__"), !["String", "Int", "Float", "Boolean", "ID"].contains(name) else { continue }
            switch type["kind"]?.stringValue {
            case "SCALAR": lines.append("scalar \(name)")
            case "ENUM":
                let values = (type["enumValues"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
                lines.append("enum \(name): " + values.joined(separator: " "))
            case "INPUT_OBJECT":
                for field in type["inputFields"]?.arrayValue ?? [] { lines.append("input \(name).\(argument(field))") }
            default:
                for field in type["fields"]?.arrayValue ?? [] {
                    let args = (field["args"]?.arrayValue ?? []).map(argument)
                    let list = args.isEmpty ? "" : "(" + args.joined(separator: ", ") + ")"
                    lines.append("type \(name).\(field["name"]?.stringValue ?? "?")\(list): \(typeName(field["type"]))")
                }
            }
        }
        return lines
    }

    @Test func introspectionShowsExactlyTheContractsSchema() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.post(Self.introspection)
        #expect(answer.status == 200)
        #expect(answer.errors.isEmpty)
        let schema = answer.data?["__schema"] ?? .null
        #expect(schema["queryType"]?["name"] == "Query")
        #expect(schema["mutationType"]?["name"] == "Mutation")
        #expect(schema["subscriptionType"]?["name"] == "Subscription")
        let actual = Self.lines(schema)
        #expect(Set(actual).subtracting(Self.contract).sorted() == [], "fields the contract does not have")
        #expect(Set(Self.contract).subtracting(actual).sorted() == [], "fields of the contract that are missing")
        #expect(actual.count == Self.contract.count)
    }

    @Test func theIntrospectionQueryOfThePlaygroundWorksOverGETToo() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.get("{ __schema { types { name } } __type(name: \"Task\") { name fields { name } } }")
        #expect(answer.status == 200)
        #expect(answer.data?["__type"]?["name"] == "Task")
        #expect((answer.data?["__type"]?["fields"]?.arrayValue ?? []).count == 19 + 2 + 5)
    }

    @Test(arguments: [
        (1, "LOW"), (4, "LOW"), (5, "NORMAL"), (7, "NORMAL"), (9, "NORMAL"),
        (10, "HIGH"), (19, "HIGH"), (20, "CRITICAL"),
    ])
    func priorityIsTheLevelAtOrBelowTheValue(value: Int, level: String) async throws {
        let backend = GatewayTestBackend.make()
        _ = try await backend.createTask(NewTask(type: "email", priority: Priority(validating: value)))
        let client = GatewayClient(backend: backend)
        let answer = await client.post("{ task(taskId: \"1\") { priority priorityValue } }")
        #expect(answer.data == ["task": ["priority": .string(level), "priorityValue": .integer(Int64(value))]])
    }

    @Test(arguments: [("LOW", 1), ("NORMAL", 5), ("HIGH", 10), ("CRITICAL", 20)])
    func priorityInputsAreTheNamedLevels(level: String, value: Int) async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.post(
            "mutation { createTask(input: {type: \"email\", priority: \(level)}) { priority priorityValue } }")
        #expect(answer.data == ["createTask": ["priority": .string(level), "priorityValue": .integer(Int64(value))]])
    }

    @Test func theJSONScalarTakesAnyLiteral() async throws {
        let backend = GatewayTestBackend.make()
        let client = GatewayClient(backend: backend)
        let answer = await client.post(
            "mutation { createTask(input: {type: \"email\", payload: {to: \"a@b.c\", n: [1, 2]}}) { payload } }")
        #expect(answer.errors.isEmpty)
        #expect(answer.data == ["createTask": ["payload": ["to": "a@b.c", "n": [1, 2]]]])
        #expect(try await backend.task(1).payload == ["to": "a@b.c", "n": [1, 2]])
    }

    @Test func theJSONScalarKeepsNestedValuesOfEveryKind() async throws {
        let backend = GatewayTestBackend.make()
        let client = GatewayClient(backend: backend)
        let answer = await client.post(
            """
            mutation { createTask(input: {type: "x", payload: {a: null, b: true, c: -3, d: 2.5, e: "s", f: [[], {}], g: {h: [1, "2", false]}, i: LOW}}) { id } }
            """)
        #expect(answer.errors.isEmpty)
        let payload = try await backend.task(1).payload
        #expect(payload == ["a": nil, "b": true, "c": -3, "d": 2.5, "e": "s", "f": [[], [:]], "g": ["h": [1, "2", false]], "i": "LOW"])
    }

    @Test func theJSONScalarTakesVariables() async throws {
        let backend = GatewayTestBackend.make()
        let client = GatewayClient(backend: backend)
        let answer = await client.post(
            "mutation($p: JSON) { createTask(input: {type: \"email\", payload: $p}) { payload } }",
            variables: ["p": ["to": "a@b.c", "n": [1, 2], "deep": ["x": nil]]])
        #expect(answer.errors.isEmpty)
        #expect(try await backend.task(1).payload == ["to": "a@b.c", "n": [1, 2], "deep": ["x": nil]])
    }

    @Test func aWholeInputAsAVariableGetsItsDefaults() async throws {
        let backend = GatewayTestBackend.make()
        let client = GatewayClient(backend: backend)
        let answer = await client.post(
            "mutation Create($input: CreateTaskInput!) { createTask(input: $input) { id type priority payload runAt uniqueKey } }",
            variables: ["input": ["type": "report", "runAt": "2026-12-01T01:00:00+01:00", "uniqueKey": "k1"]],
            operationName: "Create")
        #expect(answer.errors.isEmpty)
        #expect(answer.data?["createTask"]?["priority"] == "NORMAL")
        #expect(answer.data?["createTask"]?["payload"] == [:])
        #expect(answer.data?["createTask"]?["runAt"] == "2026-12-01T00:00:00.000Z")
        #expect(answer.data?["createTask"]?["uniqueKey"] == "k1")
        // The same uniqueKey while the first is unfinished returns it.
        let again = await client.post(
            "mutation Create($input: CreateTaskInput!) { createTask(input: $input) { id } }",
            variables: ["input": ["type": "report", "uniqueKey": "k1"]])
        #expect(again.data == ["createTask": ["id": "1"]])
    }

    @Test func timestampsAreISO8601WithMilliseconds() async throws {
        let backend = GatewayTestBackend.make()
        let runAt = Date(timeIntervalSince1970: 1_795_913_600.123)
        _ = try await backend.createTask(NewTask(type: "email", runAt: runAt))
        let client = GatewayClient(backend: backend)
        let answer = await client.post("{ task(taskId: \"1\") { runAt startedAt completedAt } }")
        #expect(answer.data == ["task": ["runAt": .string(Timestamp.format(runAt)), "startedAt": nil, "completedAt": nil]])
        #expect(Timestamp.format(runAt) == "2026-11-29T00:53:20.123Z")
    }

    @Test func everyTaskFieldResolves() async throws {
        let backend = GatewayTestBackend.make()
        _ = try await backend.createTask(
            NewTask(type: "email", payload: ["to": "x"], priority: .high, maxAttempts: 4, uniqueKey: "u"))
        let client = GatewayClient(backend: backend)
        let answer = await client.post(
            """
            { task(taskId: "1") { id type status priority priorityValue payload result error attempts maxAttempts jobId
              runAt createdAt updatedAt startedAt completedAt progress uniqueKey logs { timestamp level message attempt } } }
            """)
        #expect(answer.errors.isEmpty)
        let task = answer.data?["task"] ?? .null
        #expect(task["id"] == "1")
        #expect(task["status"] == "PENDING")
        #expect(task["priority"] == "HIGH")
        #expect(task["priorityValue"] == 10)
        #expect(task["payload"] == ["to": "x"])
        #expect(task["result"] == .null)
        #expect(task["attempts"] == 0)
        #expect(task["maxAttempts"] == 4)
        #expect(task["jobId"] == .null)
        #expect(task["uniqueKey"] == "u")
        let logs = task["logs"]?.arrayValue ?? []
        #expect(!logs.isEmpty)
        #expect(logs.first?["level"] == "info")
    }

    @Test func tasksFiltersByStatusAndTypeAndPagesNewestFirst() async throws {
        let backend = GatewayTestBackend.make()
        for type in ["email", "backup", "email", "email"] { _ = try await backend.createTask(NewTask(type: type)) }
        _ = try await backend.cancelTask(3)
        let client = GatewayClient(backend: backend)
        let pending = await client.post("{ tasks(status: PENDING, type: \"email\") { total tasks { id } } }")
        #expect(pending.data == ["tasks": ["total": 2, "tasks": [["id": "4"], ["id": "1"]]]])
        let page = await client.post("{ tasks(limit: 2, offset: 1) { total tasks { id status } } }")
        #expect(page.data == ["tasks": ["total": 4, "tasks": [["id": "3", "status": "CANCELLED"], ["id": "2", "status": "PENDING"]]]])
    }

    @Test func statsCountEveryStatus() async throws {
        let backend = GatewayTestBackend.make()
        for _ in 0..<3 { _ = try await backend.createTask(NewTask(type: "email")) }
        _ = try await backend.cancelTask(2)
        let client = GatewayClient(backend: backend)
        let answer = await client.post("{ taskStats { total pending processing completed failed cancelled retrying } }")
        #expect(answer.data == ["taskStats": ["total": 3, "pending": 2, "processing": 0, "completed": 0, "failed": 0, "cancelled": 1, "retrying": 0]])
    }

    @Test func jobMutationsChangeTheJob() async throws {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let created = await client.post(
            """
            mutation { createJob(input: {name: "Report", type: "report", schedule: "30 2 * * *", payload: {k: 1}, priority: HIGH}) {
              id timezone payload priority status runCount lastRun createdAt } }
            """)
        #expect(created.errors.isEmpty)
        #expect(created.data?["createJob"]?["timezone"] == "UTC")
        #expect(created.data?["createJob"]?["priority"] == "HIGH")
        #expect(created.data?["createJob"]?["runCount"] == 0)
        let updated = await client.post(
            "mutation { updateJob(jobId: \"1\", input: {name: \"Nightly\", schedule: \"0 3 * * *\", priority: LOW}) { name schedule priority nextRun payload } }")
        #expect(updated.errors.isEmpty)
        #expect(updated.data?["updateJob"]?["name"] == "Nightly")
        #expect(updated.data?["updateJob"]?["schedule"] == "0 3 * * *")
        #expect(updated.data?["updateJob"]?["priority"] == "LOW")
        #expect(updated.data?["updateJob"]?["payload"] == ["k": 1])
        #expect(updated.data?["updateJob"]?["nextRun"]?.stringValue?.hasSuffix("T03:00:00.000Z") == true)
        let triggered = await client.post("mutation { triggerJob(jobId: \"1\") { id type jobId status priority payload } }")
        #expect(triggered.errors.isEmpty)
        #expect(triggered.data?["triggerJob"]?["jobId"] == "1")
        #expect(triggered.data?["triggerJob"]?["type"] == "report")
        #expect(triggered.data?["triggerJob"]?["status"] == "PENDING")
        #expect(triggered.data?["triggerJob"]?["priority"] == "LOW")
        let job = await client.post("{ job(jobId: \"1\") { runCount lastRun } }")
        #expect(job.data?["job"]?["runCount"] == 1)
        #expect(job.data?["job"]?["lastRun"] != .null)
    }

    @Test func retryTaskWithResetAttempts() async throws {
        let backend = GatewayTestBackend.make()
        _ = try await backend.createTask(NewTask(type: "email"))
        _ = try await backend.cancelTask(1)
        let client = GatewayClient(backend: backend)
        let answer = await client.post("mutation { retryTask(taskId: \"1\", resetAttempts: true) { id status attempts completedAt } }")
        #expect(answer.errors.isEmpty)
        #expect(answer.data == ["retryTask": ["id": "1", "status": "PENDING", "attempts": 0, "completedAt": nil]])
    }

    @Test func taskLogsAreOldestFirstAndLimited() async throws {
        let backend = GatewayTestBackend.make()
        _ = try await backend.createTask(NewTask(type: "email"))
        _ = try await backend.cancelTask(1)
        let client = GatewayClient(backend: backend)
        let all = await client.post("{ taskLogs(taskId: \"1\") { message } }")
        let entries = all.data?["taskLogs"]?.arrayValue ?? []
        #expect(entries.count >= 2)
        let one = await client.post("{ taskLogs(taskId: \"1\", limit: 1) { message } }")
        #expect(one.data?["taskLogs"]?.arrayValue == Array(entries.prefix(1)))
    }
}

extension GatewaySchemaTests {
    /// graphql-js's `getIntrospectionQuery()` (what GraphiQL, Apollo tooling and code generators send).
    static let standardIntrospection = """
        query IntrospectionQuery {
          __schema {
            queryType { name }
            mutationType { name }
            subscriptionType { name }
            types { ...FullType }
            directives { name description locations args { ...InputValue } }
          }
        }
        fragment FullType on __Type {
          kind name description
          fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
          inputFields { ...InputValue }
          interfaces { ...TypeRef }
          enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
          possibleTypes { ...TypeRef }
        }
        fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
        fragment TypeRef on __Type {
          kind name
          ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
        }
        """

    @Test func theStandardIntrospectionQueryOfGraphQLToolsWorks() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let answer = await client.post(Self.standardIntrospection, operationName: "IntrospectionQuery")
        #expect(answer.status == 200)
        #expect(answer.errors.isEmpty)
        let schema = answer.data?["__schema"] ?? .null
        let names = Set((schema["types"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue })
        #expect(names.isSuperset(of: ["Task", "TaskLog", "TaskList", "TaskStats", "Job", "JSON", "DateTime", "__Schema"]))
        let directives = Set((schema["directives"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue })
        #expect(directives.isSuperset(of: ["skip", "include"]))
        #expect(Self.lines(schema).sorted() == Self.contract.sorted())
    }

    @Test func typenameAndDirectivesWork() async throws {
        let backend = GatewayTestBackend.make()
        _ = try await backend.createTask(NewTask(type: "email"))
        let client = GatewayClient(backend: backend)
        let answer = await client.post(
            "query($withType: Boolean!) { task(taskId: \"1\") { __typename id type @include(if: $withType) status @skip(if: true) } }",
            variables: ["withType": false])
        #expect(answer.data == ["task": ["__typename": "Task", "id": "1"]])
    }
}
