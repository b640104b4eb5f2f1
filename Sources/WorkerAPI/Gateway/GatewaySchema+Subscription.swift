import GraphQLLite
import Scheduling
import TaskCore

extension GatewaySchema {
    /// `type Subscription` (API.md section 8). Each field's source stream is the worker's change
    /// events with the field's filter (see ``GatewayHTTPHandler``'s graphql-sse transport); the
    /// resolvers receive each event's record as their source and return it.
    static let subscriptionType = GraphQLObjectType(
        "Subscription",
        fields: [
            GraphQLField(
                "taskUpdated", .nonNull("Task"),
                description: "Every change of a task (create, status, progress, attempts, result) that matches all the given filters.",
                arguments: [
                    GraphQLArgument("taskId", .id), GraphQLArgument("type", .string), GraphQLArgument("queue", .string),
                    GraphQLArgument("batchId", .id),
                ]
            ) { (task: TaskRecord, _: GraphQLArguments, _: GatewayContext) -> TaskRecord in task },
            GraphQLField(
                "jobUpdated", .nonNull("Job"),
                description: "Every create, update, fire, pause and resume of a cron job (of one job with `jobId`).",
                arguments: [GraphQLArgument("jobId", .id)]
            ) { (job: ScheduledJob, _: GraphQLArguments, _: GatewayContext) -> ScheduledJob in job },
        ])

    /// The event filter of a subscription field's arguments.
    /// - Throws: a `GRAPHQL_VALIDATION_FAILED` error naming the argument, its value and what is expected.
    static func eventFilter(field: String, arguments: GraphQLArguments) throws(GraphQLError) -> EventFilter {
        var filter = EventFilter(kinds: field == "jobUpdated" ? [.job] : [.task])
        let names = field == "jobUpdated" ? ["jobId"] : ["taskId", "type", "queue", "batchId"]
        for name in names {
            guard let value = arguments.string(name) else { continue }
            do {
                try EventFilterParsing.apply(name, value, to: &filter)
            } catch {
                throw GraphQLError("Invalid argument of \(field): \(error.message)", code: "GRAPHQL_VALIDATION_FAILED")
            }
        }
        return filter
    }
}
