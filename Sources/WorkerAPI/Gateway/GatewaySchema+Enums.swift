import GraphQLLite
import TaskCore

extension GatewaySchema {
    /// `enum TaskStatus { PENDING PROCESSING COMPLETED FAILED CANCELLED RETRYING }`: the lowercase
    /// statuses of the REST API in upper case.
    static let taskStatusEnum = GraphQLEnumType(
        "TaskStatus",
        description: "Where a task is in its life.",
        values: TaskStatus.allCases.map { GraphQLEnumValue($0.rawValue.uppercased(), value: $0) })

    /// `enum JobStatus { ACTIVE PAUSED FAILED }`.
    static let jobStatusEnum = GraphQLEnumType(
        "JobStatus",
        description: "Whether a cron job fires.",
        values: JobStatus.allCases.map { GraphQLEnumValue($0.rawValue.uppercased(), value: $0) })

    /// `enum Priority { LOW NORMAL HIGH CRITICAL }`: the named levels 1, 5, 10 and 20. A task's
    /// priority is shown as the highest level at or below its value (7 is NORMAL).
    static let priorityEnum = GraphQLEnumType(
        "Priority",
        description: "Named priority levels: LOW = 1, NORMAL = 5, HIGH = 10, CRITICAL = 20.",
        values: Priority.namedLevels.map { GraphQLEnumValue($0.name, description: "Priority \($0.priority.rawValue).") })

    /// The status named by an enum input (`PENDING`).
    static func taskStatus(named name: String) throws(GraphQLError) -> TaskStatus {
        guard let status = TaskStatus(rawValue: name.lowercased()) else {
            throw GatewayContext.badRequest("status: unknown value '\(TaskCoreError.excerpt(name))'")
        }
        return status
    }

    /// The priority named by an enum input (`HIGH`).
    static func priority(named name: String) throws(GraphQLError) -> Priority {
        guard let level = Priority.namedLevels.first(where: { $0.name == name }) else {
            throw GatewayContext.badRequest("priority: unknown value '\(TaskCoreError.excerpt(name))', expected LOW, NORMAL, HIGH or CRITICAL")
        }
        return level.priority
    }
}
