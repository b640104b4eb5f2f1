import TaskCore
import Testing

/// The contract's transition table, checked for every (status, event) pair.
@Suite struct TaskStatusTests {
    /// The legal moves, exactly as the contract lists them (section 1, plus `blocked` of section 6:
    /// unblocked by its last dependency, cancelled by a user or a failed dependency, and the target of
    /// a manual retry while a dependency is unfinished).
    static let legal: [TaskStatus: [TaskEvent: TaskStatus]] = [
        .pending: [.claim: .processing, .cancel: .cancelled],
        .processing: [.complete: .completed, .scheduleRetry: .retrying, .fail: .failed, .cancel: .cancelled,
                      .release: .pending],
        .retrying: [.claim: .processing, .cancel: .cancelled],
        .failed: [.manualRetry: .pending, .manualRetryBlocked: .blocked],
        .cancelled: [.manualRetry: .pending, .manualRetryBlocked: .blocked],
        .blocked: [.unblock: .pending, .cancel: .cancelled, .dependencyFailed: .cancelled],
        .completed: [:],
    ]

    static let allPairs: [(TaskStatus, TaskEvent)] = TaskStatus.allCases.flatMap { status in
        TaskEvent.allCases.map { (status, $0) }
    }

    @Test(arguments: allPairs)
    func everyPairFollowsTheTable(status: TaskStatus, event: TaskEvent) throws {
        if let target = Self.legal[status]?[event] {
            #expect(try status.applying(event) == target)
            #expect(status.allows(event))
        } else {
            let error = #expect(throws: TaskCoreError.self) { try status.applying(event) }
            #expect(error?.code == .invalidTransition)
            #expect(error?.message == "Cannot \(event.verb) task: status is \(status.rawValue)")
            #expect(!status.allows(event))
        }
    }

    @Test(arguments: allPairs)
    func errorsNameTheTask(status: TaskStatus, event: TaskEvent) {
        guard Self.legal[status]?[event] == nil else { return }
        let error = #expect(throws: TaskCoreError.self) { try status.applying(event, to: 7) }
        #expect(error?.code == .invalidTransition)
        #expect(error?.message == "Cannot \(event.verb) task 7: status is \(status.rawValue)")
    }

    @Test func theContractsCancelMessage() {
        let error = #expect(throws: TaskCoreError.self) { try TaskStatus.completed.applying(.cancel, to: 7) }
        #expect(error?.message == "Cannot cancel task 7: status is completed")
    }

    @Test func finalAndClaimableStatuses() {
        #expect(TaskStatus.allCases.filter(\.isFinal) == [.completed, .failed, .cancelled])
        #expect(TaskStatus.allCases.filter(\.isClaimable) == [.pending, .retrying])
    }

    @Test(arguments: [("pending", TaskStatus.pending), ("PROCESSING", .processing), ("Retrying", .retrying),
                      ("cancelled", .cancelled), ("FAILED", .failed), ("completed", .completed)])
    func statusNamesParseInAnyCase(text: String, status: TaskStatus) throws {
        #expect(try TaskStatus(parsing: text) == status)
    }

    @Test(arguments: ["", "running", "canceled", "pending ", "done"])
    func unknownStatusNamesAreRejected(text: String) {
        let error = #expect(throws: TaskCoreError.self) { try TaskStatus(parsing: text) }
        #expect(error?.code == .invalidArgument && error?.field == "status")
        #expect(error?.message == "status: unknown value '\(text)', expected one of pending, processing, completed, failed, cancelled, retrying, blocked")
    }
}
