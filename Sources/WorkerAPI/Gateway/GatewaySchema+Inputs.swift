import Foundation
import GraphQLLite
import TaskCore

extension GatewaySchema {
    /// `input CreateTaskInput`.
    static let createTaskInput = GraphQLInputObjectType(
        "CreateTaskInput",
        description: "What a new task needs: its type, and optionally payload, priority, attempts, start time and unique key.",
        fields: [
            GraphQLInputField("type", .nonNull(.string)),
            GraphQLInputField("payload", "JSON", defaultValue: .object(GraphQLObject())),
            GraphQLInputField("priority", "Priority", defaultValue: "NORMAL"),
            GraphQLInputField("maxAttempts", .int),
            GraphQLInputField("runAt", "DateTime"),
            GraphQLInputField("uniqueKey", .string),
        ] + createTaskWorkflowFields)

    /// `input CreateJobInput`.
    static let createJobInput = GraphQLInputObjectType(
        "CreateJobInput",
        description: "What a new cron job needs.",
        fields: [
            GraphQLInputField("name", .nonNull(.string)),
            GraphQLInputField("type", .nonNull(.string)),
            GraphQLInputField("schedule", .nonNull(.string)),
            GraphQLInputField("payload", "JSON", defaultValue: .object(GraphQLObject())),
            GraphQLInputField("timezone", .string, defaultValue: "UTC"),
            GraphQLInputField("priority", "Priority", defaultValue: "NORMAL"),
        ])

    /// `input UpdateJobInput`: fields left out (or null) stay as they are.
    static let updateJobInput = GraphQLInputObjectType(
        "UpdateJobInput",
        description: "The fields of a job to change; the others stay as they are.",
        fields: [
            GraphQLInputField("name", .string),
            GraphQLInputField("schedule", .string),
            GraphQLInputField("payload", "JSON"),
            GraphQLInputField("timezone", .string),
            GraphQLInputField("priority", "Priority"),
        ])

    /// A `CreateTaskInput` as a ``NewTask``.
    static func newTask(_ input: GraphQLObject) throws(GraphQLError) -> NewTask {
        var draft = NewTask(type: input["type"]?.stringValue ?? "")
        draft.payload = try payload(input["payload"], field: "payload") ?? .emptyObject
        if let name = input["priority"]?.stringValue { draft.priority = try priority(named: name) }
        if let value = input["maxAttempts"], !value.isNull {
            guard let attempts = value.intValue else { throw GatewayContext.badRequest("maxAttempts: expected an integer") }
            draft.maxAttempts = attempts
        }
        if let text = input["runAt"]?.stringValue {
            guard let date = Timestamp.parse(text) else {
                throw GatewayContext.badRequest("runAt: '\(text)' is not an ISO 8601 instant")
            }
            draft.runAt = date
        }
        draft.uniqueKey = input["uniqueKey"]?.stringValue
        try readWorkflowInput(input, into: &draft)
        do {
            try draft.validate()
        } catch {
            throw GatewayContext.graphQLError(error)
        }
        return draft
    }

    /// A `CreateJobInput` as a ``NewJob``.
    static func newJob(_ input: GraphQLObject) throws(GraphQLError) -> NewJob {
        var draft = NewJob(
            name: input["name"]?.stringValue ?? "", type: input["type"]?.stringValue ?? "",
            schedule: input["schedule"]?.stringValue ?? "")
        draft.payload = try payload(input["payload"], field: "payload") ?? .emptyObject
        if let zone = input["timezone"]?.stringValue { draft.timezone = zone }
        if let name = input["priority"]?.stringValue { draft.priority = try priority(named: name) }
        do {
            try draft.validate()
        } catch {
            throw GatewayContext.graphQLError(error)
        }
        return draft
    }

    /// An `UpdateJobInput` as a ``JobUpdate``.
    static func jobUpdate(_ input: GraphQLObject) throws(GraphQLError) -> JobUpdate {
        var update = JobUpdate()
        update.name = input["name"]?.stringValue
        if let name = update.name, name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw GatewayContext.badRequest("name: must be a non-empty string")
        }
        update.schedule = input["schedule"]?.stringValue
        update.timezone = input["timezone"]?.stringValue
        update.payload = try payload(input["payload"], field: "payload")
        if let name = input["priority"]?.stringValue { update.priority = try priority(named: name) }
        return update
    }

    /// A payload input: an object; `nil` when absent or null.
    static func payload(_ value: GraphQLValue?, field: String) throws(GraphQLError) -> JSONValue? {
        guard let value, !value.isNull else { return nil }
        guard case .object = value else {
            throw GatewayContext.badRequest("\(field): expected a JSON object, found \(describe(value))")
        }
        return jsonValue(value)
    }

    /// A task id argument; an id that is not a number names no task.
    static func taskID(_ arguments: GraphQLArguments) throws(GraphQLError) -> TaskID {
        let text = arguments.string("taskId") ?? ""
        guard let id = TaskID(text) else {
            throw GraphQLError("Task \(text.prefix(100)) not found", code: GatewayErrorCode.notFound)
        }
        return id
    }

    /// A job id argument; an id that is not a number names no job.
    static func jobID(_ arguments: GraphQLArguments) throws(GraphQLError) -> JobID {
        let text = arguments.string("jobId") ?? ""
        guard let id = JobID(text) else {
            throw GraphQLError("Job \(text.prefix(100)) not found", code: GatewayErrorCode.notFound)
        }
        return id
    }
}
