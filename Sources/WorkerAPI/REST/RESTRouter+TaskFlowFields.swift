import TaskCore

/// The flow-control fields of task and job bodies (API.md section 5).
extension RESTRouter {
    /// The fields of section 5 that `POST /api/tasks` accepts in this build.
    static let createTaskFlowFields = ["queue", "concurrencyKey"]

    /// Reads `queue` (null or absent: `"default"`) and `concurrencyKey` into a draft, checking both.
    static func readFlowFields(_ fields: RESTBodyFields, into draft: inout NewTask) throws(TaskCoreError) {
        if let queue = try queueField(fields) { draft.queue = queue }
        if let key = try fields.string("concurrencyKey") {
            try NewTask.validateConcurrencyKey(key)
            draft.concurrencyKey = key
        }
    }

    /// A body's checked `queue` field, or `nil` when absent or null.
    static func queueField(_ fields: RESTBodyFields) throws(TaskCoreError) -> String? {
        guard let queue = try fields.string("queue") else { return nil }
        try QueueName.validate(queue)
        return queue
    }
}
