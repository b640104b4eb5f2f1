import Foundation
import GraphQLLite

/// The contract's gateway schema (API.md section 3) built with GraphQLLite, with dummy resolvers
/// over plain `GraphQLObject`s: the default resolver reads members by field name.
enum ContractSchema {
    static let created = Date(timeIntervalSince1970: 1_795_917_600) // 2026-11-29T02:00:00Z

    static func make() throws -> GraphQLSchema {
        let taskFields: [GraphQLField] = [
            GraphQLField("id", .nonNull(.id)), GraphQLField("type", .nonNull(.string)),
            GraphQLField("status", .nonNull("TaskStatus")), GraphQLField("priority", .nonNull("Priority")),
            GraphQLField("priorityValue", .nonNull(.int)), GraphQLField("payload", .nonNull("JSON")),
            GraphQLField("result", "JSON"), GraphQLField("error", .string), GraphQLField("attempts", .nonNull(.int)),
            GraphQLField("maxAttempts", .nonNull(.int)), GraphQLField("jobId", .id),
            GraphQLField("runAt", .nonNull("DateTime")),
            GraphQLField("createdAt", .nonNull("DateTime")) { (_: GraphQLObject, _, _: Void) in created },
            GraphQLField("updatedAt", .nonNull("DateTime")), GraphQLField("startedAt", "DateTime"),
            GraphQLField("completedAt", "DateTime"), GraphQLField("progress", .int), GraphQLField("uniqueKey", .string),
            GraphQLField("logs", .nonNull(.list(.nonNull("TaskLog"))), arguments: [GraphQLArgument("limit", .int, defaultValue: 100)]) {
                (_: GraphQLObject, _, _: Void) in [GraphQLObject]()
            },
        ]
        let types: [any GraphQLNamedType] = [
            GraphQLScalarType.json, GraphQLScalarType.dateTime,
            GraphQLEnumType("TaskStatus", names: ["PENDING", "PROCESSING", "COMPLETED", "FAILED", "CANCELLED", "RETRYING"]),
            GraphQLEnumType("JobStatus", names: ["ACTIVE", "PAUSED", "FAILED"]),
            GraphQLEnumType("Priority", names: ["LOW", "NORMAL", "HIGH", "CRITICAL"]),
            GraphQLObjectType("Task", fields: taskFields),
            GraphQLObjectType("TaskLog", fields: [
                GraphQLField("timestamp", .nonNull("DateTime")), GraphQLField("level", .nonNull(.string)),
                GraphQLField("message", .nonNull(.string)), GraphQLField("attempt", .int),
            ]),
            GraphQLObjectType("TaskList", fields: [GraphQLField("tasks", .nonNull(.list(.nonNull("Task")))), GraphQLField("total", .nonNull(.int))]),
            GraphQLObjectType("TaskStats", fields: ["total", "pending", "processing", "completed", "failed", "cancelled", "retrying"].map {
                GraphQLField($0, .nonNull(.int))
            }),
            GraphQLObjectType("Job", fields: [
                GraphQLField("id", .nonNull(.id)), GraphQLField("name", .nonNull(.string)), GraphQLField("type", .nonNull(.string)),
                GraphQLField("schedule", .nonNull(.string)), GraphQLField("timezone", .nonNull(.string)),
                GraphQLField("payload", .nonNull("JSON")), GraphQLField("priority", .nonNull("Priority")),
                GraphQLField("status", .nonNull("JobStatus")), GraphQLField("lastRun", "DateTime"), GraphQLField("nextRun", "DateTime"),
                GraphQLField("runCount", .nonNull(.int)), GraphQLField("createdAt", .nonNull("DateTime")),
            ]),
            GraphQLInputObjectType("CreateTaskInput", fields: [
                GraphQLInputField("type", .nonNull(.string)), GraphQLInputField("payload", "JSON", defaultValue: [:]),
                GraphQLInputField("priority", "Priority", defaultValue: "NORMAL"), GraphQLInputField("maxAttempts", .int),
                GraphQLInputField("runAt", "DateTime"), GraphQLInputField("uniqueKey", .string),
            ]),
            GraphQLInputObjectType("CreateJobInput", fields: [
                GraphQLInputField("name", .nonNull(.string)), GraphQLInputField("type", .nonNull(.string)),
                GraphQLInputField("schedule", .nonNull(.string)), GraphQLInputField("payload", "JSON", defaultValue: [:]),
                GraphQLInputField("timezone", .string, defaultValue: "UTC"), GraphQLInputField("priority", "Priority", defaultValue: "NORMAL"),
            ]),
            GraphQLInputObjectType("UpdateJobInput", fields: [
                GraphQLInputField("name", .string), GraphQLInputField("schedule", .string), GraphQLInputField("payload", "JSON"),
                GraphQLInputField("timezone", .string), GraphQLInputField("priority", "Priority"),
            ]),
        ]
        let query = GraphQLObjectType("Query", fields: [
            GraphQLField("tasks", .nonNull("TaskList"), arguments: [
                GraphQLArgument("status", "TaskStatus"), GraphQLArgument("type", .string),
                GraphQLArgument("limit", .int, defaultValue: 50), GraphQLArgument("offset", .int, defaultValue: 0),
            ]) { (_, _: Void) in ["tasks": [], "total": 0] as GraphQLObject },
            GraphQLField("task", "Task", arguments: [GraphQLArgument("taskId", .nonNull(.id))]) { (args, _: Void) throws -> GraphQLObject? in
                throw GraphQLError("Task \(args.string("taskId") ?? "") not found", code: "NOT_FOUND")
            },
            GraphQLField("taskLogs", .nonNull(.list(.nonNull("TaskLog"))), arguments: [
                GraphQLArgument("taskId", .nonNull(.id)), GraphQLArgument("limit", .int, defaultValue: 100),
            ]) { (_, _: Void) in [GraphQLObject]() },
            GraphQLField("taskStats", .nonNull("TaskStats")),
            GraphQLField("jobs", .nonNull(.list(.nonNull("Job")))) { (_, _: Void) in [GraphQLObject]() },
            GraphQLField("job", "Job", arguments: [GraphQLArgument("jobId", .nonNull(.id))]),
        ])
        let jobId = [GraphQLArgument("jobId", .nonNull(.id))]
        let mutation = GraphQLObjectType("Mutation", fields: [
            GraphQLField("createTask", .nonNull("Task"), arguments: [GraphQLArgument("input", .nonNull("CreateTaskInput"))]) {
                (args, _: Void) async throws -> GraphQLObject in
                let input = args.object("input") ?? GraphQLObject()
                return ["id": "1", "type": input["type"] ?? .null, "priority": input["priority"] ?? .null, "payload": input["payload"] ?? .null]
            },
            GraphQLField("cancelTask", .nonNull(.boolean), arguments: [GraphQLArgument("taskId", .nonNull(.id))]),
            GraphQLField("retryTask", .nonNull("Task"), arguments: [
                GraphQLArgument("taskId", .nonNull(.id)), GraphQLArgument("resetAttempts", .boolean, defaultValue: false),
            ]),
            GraphQLField("createJob", .nonNull("Job"), arguments: [GraphQLArgument("input", .nonNull("CreateJobInput"))]),
            GraphQLField("pauseJob", .nonNull(.boolean), arguments: jobId),
            GraphQLField("resumeJob", .nonNull(.boolean), arguments: jobId),
            GraphQLField("deleteJob", .nonNull(.boolean), arguments: jobId),
            GraphQLField("triggerJob", .nonNull("Task"), arguments: jobId),
            GraphQLField("updateJob", .nonNull("Job"), arguments: [
                GraphQLArgument("jobId", .nonNull(.id)), GraphQLArgument("input", .nonNull("UpdateJobInput")),
            ]),
        ])
        return try GraphQLSchema(query: query, mutation: mutation, types: types)
    }
}
