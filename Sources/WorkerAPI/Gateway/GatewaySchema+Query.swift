import GraphQLLite
import TaskCore

extension GatewaySchema {
    /// `type Query`.
    static let queryType = GraphQLObjectType(
        "Query",
        fields: [
            GraphQLField(
                "tasks", .nonNull("TaskList"),
                description: "A page of tasks, newest first, optionally of one status and type.",
                arguments: [
                    GraphQLArgument("status", "TaskStatus"),
                    GraphQLArgument("type", .string),
                    GraphQLArgument("limit", .int, defaultValue: 50),
                    GraphQLArgument("offset", .int, defaultValue: 0),
                    GraphQLArgument("filter", "TaskFilter"),
                ]
            ) { (arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> TaskPage in
                var query = try taskQuery(arguments.object("filter"))
                query.limit = arguments.int("limit") ?? 50
                query.offset = arguments.int("offset") ?? 0
                if let status = arguments.string("status") { query.statuses.insert(try taskStatus(named: status)) }
                if let type = arguments.string("type") { query.type = type }
                let checked = query
                return try await context.call { backend async throws(TaskCoreError) in
                    try checked.validate()
                    return try await backend.listTasks(checked)
                }
            },
            GraphQLField("task", "Task", arguments: [GraphQLArgument("taskId", .nonNull(.id))]) {
                (arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> TaskRecord? in
                let id = try taskID(arguments)
                return try await context.call { backend async throws(TaskCoreError) in try await backend.task(id) }
            },
            GraphQLField(
                "taskLogs", .nonNull(.list(.nonNull("TaskLog"))),
                description: "The first `limit` log lines of a task, oldest first.",
                arguments: [GraphQLArgument("taskId", .nonNull(.id)), GraphQLArgument("limit", .int, defaultValue: 100)]
            ) { (arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> [TaskLogEntry] in
                let id = try taskID(arguments)
                let limit = try logLimit(arguments)
                return try await context.call { backend async throws(TaskCoreError) in try await backend.taskLogs(id, limit: limit) }
            },
            GraphQLField("taskStats", .nonNull("TaskStats")) {
                (_: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> TaskStats in
                try await context.call { backend async throws(TaskCoreError) in try await backend.taskStats() }
            },
            GraphQLField("jobs", .nonNull(.list(.nonNull("Job")))) {
                (_: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> [ScheduledJob] in
                try await context.call { backend async throws(TaskCoreError) in try await backend.listJobs() }
            },
            GraphQLField("job", "Job", arguments: [GraphQLArgument("jobId", .nonNull(.id))]) {
                (arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> ScheduledJob? in
                let id = try jobID(arguments)
                return try await context.call { backend async throws(TaskCoreError) in try await backend.job(id) }
            },
        ] + workflowQueryFields)
}
