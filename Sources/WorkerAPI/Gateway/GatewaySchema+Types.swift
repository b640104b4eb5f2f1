import Foundation
import GraphQLLite
import TaskCore

extension GatewaySchema {
    /// `type Task`.
    static let taskType = GraphQLObjectType(
        "Task",
        description: "A unit of background work.",
        fields: [
            GraphQLField("id", .nonNull(.id)) { (task: TaskRecord, _, _: GatewayContext) in task.id.description },
            GraphQLField("type", .nonNull(.string)) { (task: TaskRecord, _, _: GatewayContext) in task.type },
            GraphQLField("status", .nonNull("TaskStatus")) { (task: TaskRecord, _, _: GatewayContext) in task.status },
            GraphQLField(
                "priority", .nonNull("Priority"),
                description: "The named level at or below the numeric priority (7 is NORMAL)."
            ) { (task: TaskRecord, _, _: GatewayContext) in task.priority.levelName },
            GraphQLField("priorityValue", .nonNull(.int), description: "The numeric priority, 1...20.") {
                (task: TaskRecord, _, _: GatewayContext) in task.priority.rawValue
            },
            GraphQLField("payload", .nonNull("JSON")) { (task: TaskRecord, _, _: GatewayContext) in task.payload },
            GraphQLField("result", "JSON") { (task: TaskRecord, _, _: GatewayContext) in task.result },
            GraphQLField("error", .string) { (task: TaskRecord, _, _: GatewayContext) in task.error },
            GraphQLField("attempts", .nonNull(.int)) { (task: TaskRecord, _, _: GatewayContext) in task.attempts },
            GraphQLField("maxAttempts", .nonNull(.int)) { (task: TaskRecord, _, _: GatewayContext) in task.maxAttempts },
            GraphQLField("jobId", .id) { (task: TaskRecord, _, _: GatewayContext) in task.jobId?.description },
            GraphQLField("runAt", .nonNull("DateTime")) { (task: TaskRecord, _, _: GatewayContext) in task.runAt },
            GraphQLField("createdAt", .nonNull("DateTime")) { (task: TaskRecord, _, _: GatewayContext) in task.createdAt },
            GraphQLField("updatedAt", .nonNull("DateTime")) { (task: TaskRecord, _, _: GatewayContext) in task.updatedAt },
            GraphQLField("startedAt", "DateTime") { (task: TaskRecord, _, _: GatewayContext) in task.startedAt },
            GraphQLField("completedAt", "DateTime") { (task: TaskRecord, _, _: GatewayContext) in task.completedAt },
            GraphQLField("progress", .int) { (task: TaskRecord, _, _: GatewayContext) in task.progress },
            GraphQLField("uniqueKey", .string) { (task: TaskRecord, _, _: GatewayContext) in task.uniqueKey },
            GraphQLField(
                "logs", .nonNull(.list(.nonNull("TaskLog"))),
                description: "The first `limit` log lines, oldest first.",
                arguments: [GraphQLArgument("limit", .int, defaultValue: 100)]
            ) { (task: TaskRecord, arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) in
                let limit = try logLimit(arguments)
                return try await context.call { backend async throws(TaskCoreError) in try await backend.taskLogs(task.id, limit: limit) }
            },
        ] + taskWorkflowFields)

    /// `type TaskLog`.
    static let taskLogType = GraphQLObjectType(
        "TaskLog",
        description: "One line of a task's log.",
        fields: [
            GraphQLField("timestamp", .nonNull("DateTime")) { (entry: TaskLogEntry, _, _: GatewayContext) in entry.timestamp },
            GraphQLField("level", .nonNull(.string), description: "debug, info, warn or error.") {
                (entry: TaskLogEntry, _, _: GatewayContext) in entry.level.rawValue
            },
            GraphQLField("message", .nonNull(.string)) { (entry: TaskLogEntry, _, _: GatewayContext) in entry.message },
            GraphQLField("attempt", .int) { (entry: TaskLogEntry, _, _: GatewayContext) in entry.attempt },
        ])

    /// `type TaskList`.
    static let taskListType = GraphQLObjectType(
        "TaskList",
        description: "A page of tasks, newest first, and how many match in all.",
        fields: [
            GraphQLField("tasks", .nonNull(.list(.nonNull("Task")))) { (page: TaskPage, _, _: GatewayContext) in page.tasks },
            GraphQLField("total", .nonNull(.int)) { (page: TaskPage, _, _: GatewayContext) in page.total },
        ])

    /// `type TaskStats`.
    static let taskStatsType = GraphQLObjectType(
        "TaskStats",
        description: "Task counts per status.",
        fields: [GraphQLField("total", .nonNull(.int)) { (stats: TaskStats, _, _: GatewayContext) in stats.total }]
            + TaskStatus.allCases.map { status in
                GraphQLField(status.rawValue, .nonNull(.int)) { (stats: TaskStats, _, _: GatewayContext) in stats.all[status] }
            })

    /// `type Job` (the SDL has no `lastTaskId`, `maxAttempts`, `catchUp` or `updatedAt`).
    static let jobType = GraphQLObjectType(
        "Job",
        description: "A cron job: a recurring task enqueued each time its schedule fires.",
        fields: [
            GraphQLField("id", .nonNull(.id)) { (job: ScheduledJob, _, _: GatewayContext) in job.id.description },
            GraphQLField("name", .nonNull(.string)) { (job: ScheduledJob, _, _: GatewayContext) in job.name },
            GraphQLField("type", .nonNull(.string)) { (job: ScheduledJob, _, _: GatewayContext) in job.type },
            GraphQLField("schedule", .nonNull(.string)) { (job: ScheduledJob, _, _: GatewayContext) in job.schedule },
            GraphQLField("timezone", .nonNull(.string)) { (job: ScheduledJob, _, _: GatewayContext) in job.timezone },
            GraphQLField("payload", .nonNull("JSON")) { (job: ScheduledJob, _, _: GatewayContext) in job.payload },
            GraphQLField("priority", .nonNull("Priority")) { (job: ScheduledJob, _, _: GatewayContext) in job.priority.levelName },
            GraphQLField("status", .nonNull("JobStatus")) { (job: ScheduledJob, _, _: GatewayContext) in job.status },
            GraphQLField("lastRun", "DateTime") { (job: ScheduledJob, _, _: GatewayContext) in job.lastRun },
            GraphQLField("nextRun", "DateTime") { (job: ScheduledJob, _, _: GatewayContext) in job.nextRun },
            GraphQLField("runCount", .nonNull(.int)) { (job: ScheduledJob, _, _: GatewayContext) in job.runCount },
            GraphQLField("createdAt", .nonNull("DateTime")) { (job: ScheduledJob, _, _: GatewayContext) in job.createdAt },
        ])

    /// The `limit` argument of a log listing, checked against 1...1000.
    static func logLimit(_ arguments: GraphQLArguments) throws(GraphQLError) -> Int {
        let limit = arguments.int("limit") ?? 100
        guard TaskQuery.limitRange.contains(limit) else {
            throw GatewayContext.badRequest("limit: \(limit) is out of range 1-1000")
        }
        return limit
    }
}
