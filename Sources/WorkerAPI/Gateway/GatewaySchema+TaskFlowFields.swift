import GraphQLLite
import TaskCore

/// The flow-control fields of section 11 on the existing types and inputs.
extension GatewaySchema {
    /// `Task.queue`, `Task.concurrencyKey`.
    static let taskFlowFields: [GraphQLField] = [
        GraphQLField("queue", .nonNull(.string)) { (task: TaskRecord, _, _: GatewayContext) in task.queue },
        GraphQLField("concurrencyKey", .string) { (task: TaskRecord, _, _: GatewayContext) in task.concurrencyKey },
    ]

    /// `Job.queue`.
    static let jobFlowFields: [GraphQLField] = [
        GraphQLField("queue", .nonNull(.string)) { (job: ScheduledJob, _, _: GatewayContext) in job.queue }
    ]

    /// `CreateTaskInput.queue`, `CreateTaskInput.concurrencyKey`.
    static let createTaskFlowInputFields: [GraphQLInputField] = [
        GraphQLInputField("queue", .string, defaultValue: "default"),
        GraphQLInputField("concurrencyKey", .string),
    ]

    /// `CreateJobInput.queue`.
    static let createJobFlowInputFields: [GraphQLInputField] = [
        GraphQLInputField("queue", .string, defaultValue: "default")
    ]

    /// `UpdateJobInput.queue`.
    static let updateJobFlowInputFields: [GraphQLInputField] = [GraphQLInputField("queue", .string)]

    /// Reads `queue` and `concurrencyKey` of a `CreateTaskInput` (checked with the rest of the draft).
    static func readFlowFields(_ input: GraphQLObject, into draft: inout NewTask) {
        if let queue = input["queue"]?.stringValue { draft.queue = queue }
        draft.concurrencyKey = input["concurrencyKey"]?.stringValue
    }
}
