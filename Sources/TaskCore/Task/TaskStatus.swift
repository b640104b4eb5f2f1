/// Where a task is in its life.
///
/// The legal moves between statuses are decided in one place, ``applying(_:)``: nothing else in the
/// project assigns a status without asking it first.
public enum TaskStatus: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Queued, waiting for a worker (possibly until its `runAt`).
    case pending
    /// A worker holds a lease on it and runs its handler.
    case processing
    /// Finished successfully. Final.
    case completed
    /// Attempts exhausted, or a non-retryable error. Final.
    case failed
    /// Cancelled by a user. Final.
    case cancelled
    /// An attempt failed; waiting for its back-off before the next attempt.
    case retrying
    /// Waiting for its dependencies (`dependsOn`) to finish; not claimable (section 6 of the contract).
    case blocked

    /// Whether the task will not run again unless a user retries it.
    public var isFinal: Bool {
        switch self {
        case .completed, .failed, .cancelled: true
        case .pending, .processing, .retrying, .blocked: false
        }
    }

    /// Whether a worker may claim a task in this status once its `runAt` has come.
    public var isClaimable: Bool { self == .pending || self == .retrying }

    public var description: String { rawValue }

    /// Parses a status name in any case ("PENDING", "pending").
    /// - Throws: ``TaskCoreError`` with code `invalidArgument` naming the allowed values.
    public init(parsing text: some StringProtocol) throws(TaskCoreError) {
        guard let status = TaskStatus(rawValue: text.lowercased()) else {
            let allowed = TaskStatus.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidArgument("status", "status: unknown value '\(text)', expected one of \(allowed)")
        }
        self = status
    }

    /// The status a task moves to when `event` happens to it.
    ///
    /// This `switch` is the contract's transition table, and the only one in the project.
    /// - Throws: ``TaskCoreError`` with code `invalidTransition`, naming the event and this status.
    public func applying(_ event: TaskEvent) throws(TaskCoreError) -> TaskStatus {
        switch (self, event) {
        case (.pending, .claim), (.retrying, .claim): return .processing
        case (.processing, .complete): return .completed
        case (.processing, .scheduleRetry): return .retrying
        case (.processing, .fail): return .failed
        case (.pending, .cancel), (.retrying, .cancel), (.processing, .cancel): return .cancelled
        case (.processing, .release): return .pending
        case (.failed, .manualRetry), (.cancelled, .manualRetry): return .pending
        // Workflows (contract section 6).
        case (.blocked, .unblock): return .pending
        case (.blocked, .cancel), (.blocked, .dependencyFailed): return .cancelled
        case (.failed, .manualRetryBlocked), (.cancelled, .manualRetryBlocked): return .blocked
        default:
            throw TaskCoreError(
                code: .invalidTransition,
                message: "Cannot \(event.verb) task: status is \(self)")
        }
    }

    /// Like ``applying(_:)``, with the task's id in the error message
    /// ("Cannot cancel task 7: status is completed").
    public func applying(_ event: TaskEvent, to id: TaskID) throws(TaskCoreError) -> TaskStatus {
        do {
            return try applying(event)
        } catch {
            throw TaskCoreError(
                code: .invalidTransition,
                message: "Cannot \(event.verb) task \(id): status is \(self)")
        }
    }

    /// Whether `event` is legal in this status.
    public func allows(_ event: TaskEvent) -> Bool {
        (try? applying(event)) != nil
    }
}

/// Something that happens to a task and may change its status.
public enum TaskEvent: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// A worker takes the task and leases it (pending/retrying → processing).
    case claim
    /// The handler returned (processing → completed).
    case complete
    /// An attempt failed and attempts remain (processing → retrying).
    case scheduleRetry
    /// An attempt failed for good (processing → failed).
    case fail
    /// A user cancels (pending/retrying/processing → cancelled).
    case cancel
    /// A worker gives the task back unrun, e.g. on shutdown (processing → pending).
    case release
    /// A user runs a finished task again (failed/cancelled → pending).
    case manualRetry
    /// The last dependency of a blocked task finished as its policy requires (blocked → pending).
    case unblock
    /// A dependency of a blocked task failed or was cancelled under policy `cancel` (blocked → cancelled).
    case dependencyFailed
    /// A user runs a finished task again whose dependencies are not all final yet (failed/cancelled → blocked).
    case manualRetryBlocked

    /// The verb used in error messages ("Cannot cancel task 7: ...").
    public var verb: String {
        switch self {
        case .claim: "claim"
        case .complete: "complete"
        case .scheduleRetry: "schedule a retry of"
        case .fail: "fail"
        case .cancel: "cancel"
        case .release: "release"
        case .manualRetry: "retry"
        case .unblock: "unblock"
        case .dependencyFailed: "cancel (dependency failed)"
        case .manualRetryBlocked: "retry"
        }
    }

    public var description: String { rawValue }
}
