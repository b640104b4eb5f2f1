import GraphQLLite
import TaskCore

/// The queue types and fields of section 11: `Queue`, `QueueCounts`, `RateLimit`,
/// `RateLimitInput`, `UpdateQueueInput`, `Query.queues/queue`, `Mutation.pauseQueue/resumeQueue/updateQueue`.
extension GatewaySchema {
    /// Every named type this file adds to the schema.
    static var queueTypes: [any GraphQLNamedType] { [queueType, queueCountsType, rateLimitType, rateLimitInput, updateQueueInput] }

    /// `type Queue`.
    static let queueType = GraphQLObjectType(
        "Queue",
        description: "A queue: its flow-control settings, its task counts and how far behind it is.",
        fields: [
            GraphQLField("name", .nonNull(.string)) { (queue: QueueInfo, _, _: GatewayContext) in queue.name },
            GraphQLField("paused", .nonNull(.boolean)) { (queue: QueueInfo, _, _: GatewayContext) in queue.settings.paused },
            GraphQLField("concurrency", .int) { (queue: QueueInfo, _, _: GatewayContext) in queue.settings.concurrency },
            GraphQLField("perKeyConcurrency", .int) { (queue: QueueInfo, _, _: GatewayContext) in
                queue.settings.perKeyConcurrency
            },
            GraphQLField("rateLimit", "RateLimit") { (queue: QueueInfo, _, _: GatewayContext) in queue.settings.rateLimit },
            GraphQLField("counts", .nonNull("QueueCounts")) { (queue: QueueInfo, _, _: GatewayContext) in queue },
            GraphQLField("oldestReadyAt", "DateTime") { (queue: QueueInfo, _, _: GatewayContext) in queue.oldestReadyAt },
        ])

    /// `type QueueCounts`: tasks per status (a status this build does not have counts 0).
    static let queueCountsType = GraphQLObjectType(
        "QueueCounts",
        description: "Tasks of a queue per status.",
        fields: QueueInfo.countedStatusNames.map { name in
            GraphQLField(name, .nonNull(.int)) { (queue: QueueInfo, _, _: GatewayContext) in queue.count(named: name) }
        })

    /// `type RateLimit`.
    static let rateLimitType = GraphQLObjectType(
        "RateLimit",
        description: "At most `limit` attempt starts in any window of `periodMs` milliseconds.",
        fields: [
            GraphQLField("limit", .nonNull(.int)) { (rate: RateLimit, _, _: GatewayContext) in rate.limit },
            GraphQLField("periodMs", .nonNull(.int)) { (rate: RateLimit, _, _: GatewayContext) in rate.periodMs },
        ])

    /// `input RateLimitInput`.
    static let rateLimitInput = GraphQLInputObjectType(
        "RateLimitInput",
        fields: [GraphQLInputField("limit", .nonNull(.int)), GraphQLInputField("periodMs", .nonNull(.int))])

    /// `input UpdateQueueInput`: a field left out stays; `null` clears it.
    static let updateQueueInput = GraphQLInputObjectType(
        "UpdateQueueInput",
        description: "The settings of a queue to change; a field left out stays, null clears it.",
        fields: [
            GraphQLInputField("concurrency", .int),
            GraphQLInputField("perKeyConcurrency", .int),
            GraphQLInputField("rateLimit", "RateLimitInput"),
        ])

    /// `queues`, `queue(name:)`.
    static let queueQueryFields: [GraphQLField] = [
        GraphQLField(
            "queues", .nonNull(.list(.nonNull("Queue"))),
            description: "Every queue that has a task or a setting, by name."
        ) { (_: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> [QueueInfo] in
            try await context.call { backend async throws(TaskCoreError) in try await backend.listQueues() }
        },
        GraphQLField(
            "queue", .nonNull("Queue"), description: "One queue; any valid name answers, with defaults.",
            arguments: [GraphQLArgument("name", .nonNull(.string))]
        ) { (arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> QueueInfo in
            let name = arguments.string("name") ?? ""
            return try await context.call { backend async throws(TaskCoreError) in try await backend.queue(name) }
        },
    ]

    /// `pauseQueue`, `resumeQueue`, `updateQueue`.
    static let queueMutationFields: [GraphQLField] = [
        GraphQLField(
            "pauseQueue", .nonNull("Queue"), description: "Pauses a queue (idempotent): no attempt of it starts.",
            arguments: [GraphQLArgument("name", .nonNull(.string))]
        ) { (arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> QueueInfo in
            let name = arguments.string("name") ?? ""
            return try await context.call { backend async throws(TaskCoreError) in
                try await backend.updateQueue(name, QueueUpdate(paused: true))
            }
        },
        GraphQLField(
            "resumeQueue", .nonNull("Queue"), description: "Resumes a queue (idempotent).",
            arguments: [GraphQLArgument("name", .nonNull(.string))]
        ) { (arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> QueueInfo in
            let name = arguments.string("name") ?? ""
            return try await context.call { backend async throws(TaskCoreError) in
                try await backend.updateQueue(name, QueueUpdate(paused: false))
            }
        },
        GraphQLField(
            "updateQueue", .nonNull("Queue"),
            description: "Changes the limits of a queue; a field left out stays, null clears it.",
            arguments: [GraphQLArgument("name", .nonNull(.string)), GraphQLArgument("input", .nonNull("UpdateQueueInput"))]
        ) { (arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> QueueInfo in
            let name = arguments.string("name") ?? ""
            let update = try queueUpdate(arguments.object("input") ?? GraphQLObject())
            return try await context.call { backend async throws(TaskCoreError) in
                try QueueName.validate(name, field: "name")
                try update.validate()
                return try await backend.updateQueue(name, update)
            }
        },
    ]

    /// An `UpdateQueueInput` as a ``QueueUpdate`` (ranges are checked by the caller).
    static func queueUpdate(_ input: GraphQLObject) throws(GraphQLError) -> QueueUpdate {
        var update = QueueUpdate()
        if let value = input["concurrency"] { update.concurrency = .some(value.isNull ? nil : value.intValue) }
        if let value = input["perKeyConcurrency"] { update.perKeyConcurrency = .some(value.isNull ? nil : value.intValue) }
        if let value = input["rateLimit"] {
            if value.isNull {
                update.rateLimit = .some(nil)
            } else {
                let limit = value.objectValue?["limit"]?.intValue ?? 0
                let period = value.objectValue?["periodMs"]?.intValue ?? 0
                update.rateLimit = .some(RateLimit(limit: limit, periodMs: period))
            }
        }
        return update
    }
}
