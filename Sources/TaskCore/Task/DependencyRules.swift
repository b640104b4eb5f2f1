/// What a failed or cancelled dependency does to a blocked task (contract section 6).
public enum DependencyFailurePolicy: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The default: the task is cancelled ("dependency 7 failed"), and so are its own blocked dependents.
    case cancel
    /// The task runs once every dependency is final, whatever the outcome.
    case run

    public var description: String { rawValue }

    /// Parses `"cancel"` or `"run"` in any case.
    /// - Throws: ``TaskCoreError`` with code `invalidArgument` naming `field` and the value.
    public init(parsing text: some StringProtocol, field: String = "onDependencyFailure") throws(TaskCoreError) {
        guard let policy = DependencyFailurePolicy(rawValue: text.lowercased()) else {
            throw .invalidArgument(field, "\(field): unknown value '\(text)', expected one of cancel, run")
        }
        self = policy
    }

    /// Whether a dependency that ended in `status` lets a task with this policy go on (rather than
    /// cancelling it). Only meaningful for final statuses.
    public func isSatisfied(by status: TaskStatus) -> Bool {
        switch self {
        case .cancel: status == .completed
        case .run: status.isFinal
        }
    }
}

/// The identifier of a batch (`POST /api/batches`), with the same form as ``TaskID``.
public struct BatchID: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
    public init(_ value: Int64) { self.rawValue = value }
    public init(integerLiteral value: Int64) { self.rawValue = value }

    /// Parses the string form; `nil` unless it is a decimal number that ``TaskID`` would accept.
    public init?(_ string: some StringProtocol) {
        guard let id = TaskID(string) else { return nil }
        self.rawValue = id.rawValue
    }

    public var description: String { String(rawValue) }
    public static func < (lhs: BatchID, rhs: BatchID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try TaskID(from: decoder).rawValue
    }

    public func encode(to encoder: any Encoder) throws {
        try TaskID(rawValue).encode(to: encoder)
    }
}

/// Where a task with dependencies stands, decided from its dependencies' statuses: the rule of
/// creation and of manual retry (contract section 6). The stores ask it; they decide nothing themselves.
public enum DependencyState: Hashable, Sendable {
    /// Every dependency is satisfied: the task is `pending`.
    case ready
    /// `open` dependencies are not final yet: the task is `blocked`.
    case waiting(open: Int)
    /// A dependency failed or was cancelled under policy `cancel`.
    case doomed(dependency: TaskID, status: TaskStatus)

    /// Decides from the dependencies' current statuses, in `dependsOn` order.
    /// - Complexity: O(*n*) for *n* dependencies.
    public static func of(
        _ dependencies: some Sequence<(id: TaskID, status: TaskStatus)>, policy: DependencyFailurePolicy
    ) -> DependencyState {
        var open = 0
        for (id, status) in dependencies {
            if !status.isFinal {
                open += 1
            } else if !policy.isSatisfied(by: status) {
                return .doomed(dependency: id, status: status)
            }
        }
        return open == 0 ? .ready : .waiting(open: open)
    }

    /// The `error` of a task cancelled because of `dependency` ending in `status`:
    /// "dependency 7 failed" or "dependency 7 was cancelled".
    public static func cancellationError(dependency: TaskID, status: TaskStatus) -> String {
        status == .failed ? "dependency \(dependency) failed" : "dependency \(dependency) was cancelled"
    }

    /// The error of a refused manual retry: "Cannot retry task 9: dependency 7 is failed".
    public static func retryRefused(_ id: TaskID, dependency: TaskID, status: TaskStatus) -> TaskCoreError {
        TaskCoreError(
            code: .invalidTransition, message: "Cannot retry task \(id): dependency \(dependency) is \(status)")
    }
}

extension NewTask {
    /// The most dependencies a task created through the API may have (a batch callback has more).
    public static let maxDependencies = 100

    /// Checks `dependsOn`: at most ``maxDependencies`` ids (unless the task is a batch callback,
    /// which depends on its whole batch), without duplicates.
    /// - Throws: ``TaskCoreError`` with code `invalidArgument` naming the field and the value.
    public func validateDependencies(field: String = "dependsOn", limit: Int? = NewTask.maxDependencies)
        throws(TaskCoreError)
    {
        if let limit, dependsOn.count > limit {
            throw .invalidArgument(field, "\(field): \(dependsOn.count) ids is more than the limit of \(limit)")
        }
        var seen = Set<TaskID>()
        seen.reserveCapacity(dependsOn.count)
        for id in dependsOn where !seen.insert(id).inserted {
            throw .invalidArgument(field, "\(field): duplicate id \(id)")
        }
    }

    /// The error for a dependency id that names no existing task: "dependsOn: unknown task id 42".
    public static func unknownDependency(_ id: TaskID, field: String = "dependsOn") -> TaskCoreError {
        .invalidArgument(field, "\(field): unknown task id \(id)")
    }

    /// The error for a batch element that depends on its own batch's callback.
    public static func dependsOnOwnCallback(_ id: TaskID, field: String = "dependsOn") -> TaskCoreError {
        .invalidArgument(field, "\(field): task \(id) is the callback of this task's own batch")
    }
}
