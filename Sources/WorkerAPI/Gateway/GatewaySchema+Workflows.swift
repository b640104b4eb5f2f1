import Foundation
import GraphQLLite
import Scheduling
import TaskCore

// Workflows, batches, search and bulk operations in the gateway schema (API.md section 11).
extension GatewaySchema {
    /// `enum DependencyFailure { CANCEL RUN }`.
    static let dependencyFailureEnum = GraphQLEnumType(
        "DependencyFailure",
        description: "What a failed or cancelled dependency does to a blocked task.",
        values: DependencyFailurePolicy.allCases.map { GraphQLEnumValue($0.rawValue.uppercased(), value: $0) })

    /// `enum BulkAction { RETRY CANCEL DELETE }`.
    static let bulkActionEnum = GraphQLEnumType(
        "BulkAction",
        description: "An action applied to many tasks at once.",
        values: BulkAction.allCases.map { GraphQLEnumValue($0.rawValue.uppercased(), value: $0) })

    /// The workflow fields of `type Task`.
    static let taskWorkflowFields: [GraphQLField] = [
        GraphQLField("dependsOn", .nonNull(.list(.nonNull(.id)))) { (task: TaskRecord, _, _: GatewayContext) in
            task.dependsOn.map(\.description)
        },
        GraphQLField("onDependencyFailure", .nonNull("DependencyFailure")) { (task: TaskRecord, _, _: GatewayContext) in
            task.onDependencyFailure
        },
        GraphQLField("batchId", .id) { (task: TaskRecord, _, _: GatewayContext) in task.batchId?.description },
        GraphQLField("dependencies", .nonNull(.list(.nonNull("Task"))), description: "The tasks this one depends on.") {
            (task: TaskRecord, _: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> [TaskRecord] in
            try await context.call { backend async throws(TaskCoreError) in
                var tasks: [TaskRecord] = []
                for id in task.dependsOn {
                    do throws(TaskCoreError) {
                        tasks.append(try await backend.task(id))
                    } catch where error.code == .notFound {
                        // A deleted dependency.
                    }
                }
                return tasks
            }
        },
        GraphQLField("dependents", .nonNull(.list(.nonNull("Task"))), description: "The tasks that depend on this one.") {
            (task: TaskRecord, _: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> [TaskRecord] in
            var query = TaskQuery(limit: TaskQuery.limitRange.upperBound)
            query.dependsOn = task.id
            let checked = query
            return try await context.call { backend async throws(TaskCoreError) in
                try await allTasks(backend, checked).sorted { $0.id < $1.id }
            }
        },
    ]

    /// Every task matching `query`, page by page.
    static func allTasks(_ backend: any WorkerBackend, _ query: TaskQuery) async throws(TaskCoreError) -> [TaskRecord] {
        var query = query
        query.limit = TaskQuery.limitRange.upperBound
        query.offset = 0
        var tasks: [TaskRecord] = []
        while true {
            let page = try await backend.listTasks(query)
            tasks += page.tasks
            guard page.tasks.count == query.limit, let last = page.tasks.last else { return tasks }
            query.beforeID = last.id
        }
    }

    /// `type QueueCounts` (shared with the queues of section 5).
    static let queueCountsType = GraphQLObjectType(
        "QueueCounts",
        description: "Task counts by status.",
        fields: [TaskStatus.pending, .processing, .retrying, .blocked, .completed, .failed, .cancelled].map { status in
            GraphQLField(status.rawValue, .nonNull(.int)) { (counts: TaskStats.Counts, _, _: GatewayContext) in counts[status] }
        })

    /// `type Batch`.
    static let batchType = GraphQLObjectType(
        "Batch",
        description: "Tasks created together, with an optional callback that runs once after all of them are final.",
        fields: [
            GraphQLField("id", .nonNull(.id)) { (batch: BatchRecord, _, _: GatewayContext) in batch.id.description },
            GraphQLField("status", .nonNull(.string), description: "running, completed or failed.") {
                (batch: BatchRecord, _, _: GatewayContext) in batch.status.rawValue
            },
            GraphQLField("total", .nonNull(.int)) { (batch: BatchRecord, _, _: GatewayContext) in batch.total },
            GraphQLField("counts", .nonNull("QueueCounts")) { (batch: BatchRecord, _, _: GatewayContext) in batch.counts },
            GraphQLField("tasks", .nonNull(.list(.nonNull("Task")))) {
                (batch: BatchRecord, _: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> [TaskRecord] in
                var query = TaskQuery()
                query.batchId = batch.id
                let checked = query
                let callback = batch.callbackTaskId
                return try await context.call { backend async throws(TaskCoreError) in
                    try await allTasks(backend, checked).filter { $0.id != callback }.sorted { $0.id < $1.id }
                }
            },
            GraphQLField("callback", "Task") {
                (batch: BatchRecord, _: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> TaskRecord? in
                guard let id = batch.callbackTaskId else { return nil }
                return try await context.call { backend async throws(TaskCoreError) in try await backend.task(id) }
            },
            GraphQLField("createdAt", .nonNull("DateTime")) { (batch: BatchRecord, _, _: GatewayContext) in batch.createdAt },
            GraphQLField("finishedAt", "DateTime") { (batch: BatchRecord, _, _: GatewayContext) in batch.finishedAt },
        ])

    /// `type BulkResult`.
    static let bulkResultType = GraphQLObjectType(
        "BulkResult",
        description: "What a bulk action did.",
        fields: [
            GraphQLField("matched", .nonNull(.int)) { (result: BulkResult, _, _: GatewayContext) in result.matched },
            GraphQLField("changed", .nonNull(.int)) { (result: BulkResult, _, _: GatewayContext) in result.changed },
            GraphQLField("skipped", .nonNull(.int)) { (result: BulkResult, _, _: GatewayContext) in result.skipped },
        ])

    /// `input TaskFilter`.
    static let taskFilterInput = GraphQLInputObjectType(
        "TaskFilter",
        description: "Search filters; they combine with AND.",
        fields: [
            GraphQLInputField("status", .list(.nonNull("TaskStatus"))),
            GraphQLInputField("type", .string),
            GraphQLInputField("jobId", .id),
            GraphQLInputField("batchId", .id),
            GraphQLInputField("createdAfter", "DateTime"),
            GraphQLInputField("createdBefore", "DateTime"),
            GraphQLInputField("payload", "JSON"),
        ] + taskFilterFlowFields)

    /// `input CreateBatchInput`.
    static let createBatchInput = GraphQLInputObjectType(
        "CreateBatchInput",
        description: "The tasks of a batch (1 to 10,000) and an optional callback.",
        fields: [
            GraphQLInputField("tasks", .nonNull(.list(.nonNull("CreateTaskInput")))),
            GraphQLInputField("callback", "CreateTaskInput"),
        ])

    /// The fields `CreateTaskInput` gains (section 11).
    static let createTaskWorkflowFields: [GraphQLInputField] = [
        GraphQLInputField("dependsOn", .list(.nonNull(.id)), defaultValue: .list([])),
        GraphQLInputField("onDependencyFailure", "DependencyFailure", defaultValue: "CANCEL"),
        GraphQLInputField("delayMs", .int),
        GraphQLInputField("timeoutMs", .int),
    ]

    /// Reads the workflow fields of a `CreateTaskInput` into `draft`.
    static func readWorkflowInput(_ input: GraphQLObject, into draft: inout NewTask) throws(GraphQLError) {
        if let list = input["dependsOn"]?.listValue {
            var ids: [TaskID] = []
            for (position, element) in list.enumerated() {
                let text = element.stringValue ?? element.intValue.map(String.init) ?? ""
                guard let id = TaskID(text), id.rawValue > 0 else {
                    throw GatewayContext.badRequest("dependsOn[\(position)]: '\(text.prefix(100))' is not a task id")
                }
                ids.append(id)
            }
            draft.dependsOn = ids
        }
        if let name = input["onDependencyFailure"]?.stringValue {
            do throws(TaskCoreError) {
                draft.onDependencyFailure = try DependencyFailurePolicy(parsing: name)
            } catch {
                throw GatewayContext.graphQLError(error)
            }
        }
        if let value = input["delayMs"], !value.isNull {
            guard let ms = value.intValue, ms >= 0, Int64(ms) <= RESTRouter.maxDelayMilliseconds else {
                throw GatewayContext.badRequest("delayMs: expected 0 to \(RESTRouter.maxDelayMilliseconds) milliseconds")
            }
            if draft.runAt != nil { throw GatewayContext.badRequest("runAt, delayMs: give at most one of runAt and delayMs, not both") }
            draft.delay = .milliseconds(ms)
        }
        if let value = input["timeoutMs"], !value.isNull {
            guard let ms = value.intValue, ms >= 1, Int64(ms) <= RESTRouter.maxTimeoutMilliseconds else {
                throw GatewayContext.badRequest("timeoutMs: expected 1 to \(RESTRouter.maxTimeoutMilliseconds) milliseconds")
            }
            draft.timeout = .milliseconds(ms)
        }
    }

    /// A `TaskFilter` input as a query (page fields left at their defaults).
    static func taskQuery(_ filter: GraphQLObject?) throws(GraphQLError) -> TaskQuery {
        var query = TaskQuery()
        guard let filter else { return query }
        for value in filter["status"]?.listValue ?? [] {
            if let name = value.stringValue { query.statuses.insert(try taskStatus(named: name)) }
        }
        query.type = filter["type"]?.stringValue
        if let text = filter["jobId"]?.stringValue {
            guard let id = JobID(text) else { throw GatewayContext.badRequest("jobId: '\(text.prefix(100))' is not an id") }
            query.jobId = id
        }
        if let text = filter["batchId"]?.stringValue {
            guard let id = BatchID(text) else { throw GatewayContext.badRequest("batchId: '\(text.prefix(100))' is not an id") }
            query.batchId = id
        }
        for (key, isAfter) in [("createdAfter", true), ("createdBefore", false)] {
            guard let text = filter[key]?.stringValue else { continue }
            guard let date = Timestamp.parse(text) else {
                throw GatewayContext.badRequest("\(key): '\(text.prefix(100))' is not an ISO 8601 instant")
            }
            if isAfter { query.createdAfter = date } else { query.createdBefore = date }
        }
        if let payload = try payload(filter["payload"], field: "payload"), case .object(let members) = payload, !members.isEmpty {
            query.payload = payload
        }
        try readFlowFilter(filter, into: &query)
        return query
    }

    /// The Query fields of workflows.
    static let workflowQueryFields: [GraphQLField] = [
        GraphQLField(
            "batches", .nonNull(.list(.nonNull("Batch"))), description: "Batches, newest first.",
            arguments: [GraphQLArgument("limit", .int, defaultValue: 50), GraphQLArgument("offset", .int, defaultValue: 0)]
        ) { (arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> [BatchRecord] in
            let limit = arguments.int("limit") ?? 50
            let offset = arguments.int("offset") ?? 0
            return try await context.call { backend async throws(TaskCoreError) in
                try TaskQuery(limit: limit, offset: offset).validate()
                return try await backend.listBatches(limit: limit, offset: offset).batches
            }
        },
        GraphQLField("batch", "Batch", arguments: [GraphQLArgument("batchId", .nonNull(.id))]) {
            (arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> BatchRecord? in
            let text = arguments.string("batchId") ?? ""
            guard let id = BatchID(text) else {
                throw GraphQLError("Batch \(text.prefix(100)) not found", code: GatewayErrorCode.notFound)
            }
            return try await context.call { backend async throws(TaskCoreError) in try await backend.batch(id) }
        },
    ]

    /// The Mutation fields of workflows.
    static let workflowMutationFields: [GraphQLField] = [
        GraphQLField(
            "createBatch", .nonNull("Batch"),
            description: "Creates the tasks of a batch and its callback in one atomic step.",
            arguments: [GraphQLArgument("input", .nonNull("CreateBatchInput"))]
        ) { (arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> BatchRecord in
            let input = arguments.object("input") ?? GraphQLObject()
            let elements = input["tasks"]?.listValue ?? []
            guard BatchLimits.taskCount.contains(elements.count) else {
                throw GatewayContext.badRequest("tasks: \(elements.count) tasks is out of range 1-10000")
            }
            var drafts: [NewTask] = []
            for (position, element) in elements.enumerated() {
                do throws(GraphQLError) {
                    drafts.append(try newTask(element.objectValue ?? GraphQLObject()))
                } catch {
                    throw GatewayContext.badRequest("tasks[\(position)].\(error.message)")
                }
            }
            var callback: NewTask?
            if let object = input["callback"]?.objectValue {
                var element = object
                element["dependsOn"] = .list([])
                do throws(GraphQLError) {
                    callback = try newTask(element)
                } catch {
                    throw GatewayContext.badRequest("callback.\(error.message)")
                }
            }
            let tasks = drafts
            let callbackDraft = callback
            return try await context.call { backend async throws(TaskCoreError) in
                try await backend.createBatch(tasks, callback: callbackDraft)
            }
        },
        GraphQLField(
            "cancelBatch", .nonNull("Batch"), description: "Cancels every unfinished task of a batch.",
            arguments: [GraphQLArgument("batchId", .nonNull(.id))]
        ) { (arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> BatchRecord in
            let text = arguments.string("batchId") ?? ""
            guard let id = BatchID(text) else {
                throw GraphQLError("Batch \(text.prefix(100)) not found", code: GatewayErrorCode.notFound)
            }
            return try await context.call { backend async throws(TaskCoreError) in try await backend.cancelBatch(id) }
        },
        GraphQLField(
            "bulkTasks", .nonNull("BulkResult"),
            description: "Applies an action to every task matching the filter (and in ids, when given).",
            arguments: [
                GraphQLArgument("action", .nonNull("BulkAction")), GraphQLArgument("filter", "TaskFilter"),
                GraphQLArgument("ids", .list(.nonNull(.id))), GraphQLArgument("dryRun", .boolean, defaultValue: false),
                GraphQLArgument("resetAttempts", .boolean, defaultValue: false),
            ]
        ) { (arguments: GraphQLArguments, context: GatewayContext) async throws(GraphQLError) -> BulkResult in
            let action: BulkAction
            do throws(TaskCoreError) {
                action = try BulkAction(parsing: arguments.string("action") ?? "")
            } catch {
                throw GatewayContext.graphQLError(error)
            }
            var query = try taskQuery(arguments.object("filter"))
            if let list = arguments.list("ids") {
                var ids = Set<TaskID>()
                for element in list {
                    let text = element.stringValue ?? ""
                    guard let id = TaskID(text) else { throw GatewayContext.badRequest("ids: '\(text.prefix(100))' is not a task id") }
                    ids.insert(id)
                }
                query.ids = ids
            }
            let checked = query
            let dryRun = arguments.bool("dryRun") ?? false
            let reset = arguments.bool("resetAttempts") ?? false
            return try await context.call { backend async throws(TaskCoreError) in
                try await backend.bulkTasks(action, filter: checked, dryRun: dryRun, resetAttempts: reset)
            }
        },
    ]

    /// The types the workflow additions bring to the schema.
    static let workflowTypes: [any GraphQLNamedType] = [
        dependencyFailureEnum, bulkActionEnum, queueCountsType, batchType, bulkResultType, taskFilterInput, createBatchInput,
    ]
}

extension GatewaySchema {
    /// Flow-control filter fields of `TaskFilter` (queue, concurrencyKey), added with section 5.
    static let taskFilterFlowFields: [GraphQLInputField] = []

    /// Reads the flow-control filters of a `TaskFilter` (none yet on this branch).
    static func readFlowFilter(_ filter: GraphQLObject, into query: inout TaskQuery) throws(GraphQLError) {}
}
