import Scheduling
import TaskCore

extension DemoHandlers {
    /// `collect`: returns `{"results": {"<id>": <result>, ...}}`, the results of the task's
    /// dependencies (null for a dependency without a result): a batch callback or fan-in step.
    static let collect: TaskHandler = { _, context in
        var results: [String: JSONValue] = [:]
        for (id, result) in context.dependencyResults { results[id.description] = result ?? .null }
        return ["results": .object(results)]
    }
}
