import GraphQLLite
import TaskCore

extension GatewaySchema {
    /// `type Mutation`.
    static let mutationType = GraphQLObjectType(
        "Mutation",
        fields: [
            GraphQLField(
                "createTask", .nonNull("Task"),
                description: "Enqueues a task (or returns the unfinished task with the same uniqueKey).",
                arguments: [GraphQLArgument("input", .nonNull("CreateTaskInput"))]
            ) { (arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> TaskRecord in
                let draft = try newTask(arguments.object("input") ?? GraphQLObject())
                return try await context.call { backend async throws(TaskCoreError) in try await backend.createTask(draft).task }
            },
            GraphQLField(
                "cancelTask", .nonNull(.boolean),
                description: "Cancels a pending, retrying or processing task; true when it is cancelled.",
                arguments: [GraphQLArgument("taskId", .nonNull(.id))]
            ) { (arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> Bool in
                let id = try taskID(arguments)
                _ = try await context.call { backend async throws(TaskCoreError) in try await backend.cancelTask(id) }
                return true
            },
            GraphQLField(
                "retryTask", .nonNull("Task"),
                description: "Runs a failed or cancelled task again; resetAttempts grants a full new set of attempts.",
                arguments: [GraphQLArgument("taskId", .nonNull(.id)), GraphQLArgument("resetAttempts", .boolean, defaultValue: false)]
            ) { (arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> TaskRecord in
                let id = try taskID(arguments)
                let reset = arguments.bool("resetAttempts") ?? false
                return try await context.call { backend async throws(TaskCoreError) in
                    try await backend.retryTask(id, resetAttempts: reset)
                }
            },
            GraphQLField(
                "createJob", .nonNull("Job"), description: "Creates an active cron job.",
                arguments: [GraphQLArgument("input", .nonNull("CreateJobInput"))]
            ) { (arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> ScheduledJob in
                let draft = try newJob(arguments.object("input") ?? GraphQLObject())
                return try await context.call { backend async throws(TaskCoreError) in try await backend.createJob(draft) }
            },
            GraphQLField(
                "pauseJob", .nonNull(.boolean), description: "Pauses a job (idempotent).",
                arguments: [GraphQLArgument("jobId", .nonNull(.id))]
            ) { (arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> Bool in
                let id = try jobID(arguments)
                _ = try await context.call { backend async throws(TaskCoreError) in try await backend.pauseJob(id) }
                return true
            },
            GraphQLField(
                "resumeJob", .nonNull(.boolean), description: "Resumes a job (idempotent); nextRun is computed from now.",
                arguments: [GraphQLArgument("jobId", .nonNull(.id))]
            ) { (arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> Bool in
                let id = try jobID(arguments)
                _ = try await context.call { backend async throws(TaskCoreError) in try await backend.resumeJob(id) }
                return true
            },
            GraphQLField(
                "deleteJob", .nonNull(.boolean), description: "Deletes a job; the tasks it enqueued stay.",
                arguments: [GraphQLArgument("jobId", .nonNull(.id))]
            ) { (arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> Bool in
                let id = try jobID(arguments)
                try await context.call { backend async throws(TaskCoreError) in try await backend.deleteJob(id) }
                return true
            },
            GraphQLField(
                "triggerJob", .nonNull("Task"), description: "Enqueues a job's task now, off schedule.",
                arguments: [GraphQLArgument("jobId", .nonNull(.id))]
            ) { (arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> TaskRecord in
                let id = try jobID(arguments)
                return try await context.call { backend async throws(TaskCoreError) in try await backend.triggerJob(id) }
            },
            GraphQLField(
                "updateJob", .nonNull("Job"),
                description: "Changes some fields of a job; a new schedule or time zone recomputes nextRun.",
                arguments: [GraphQLArgument("jobId", .nonNull(.id)), GraphQLArgument("input", .nonNull("UpdateJobInput"))]
            ) { (arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> ScheduledJob in
                let id = try jobID(arguments)
                let update = try jobUpdate(arguments.object("input") ?? GraphQLObject())
                return try await context.call { backend async throws(TaskCoreError) in try await backend.updateJob(id, update) }
            },
        ] + workflowMutationFields)
}
