import Foundation
import TaskCore
import Testing

/// The fixed instant every conformance test starts from; tests advance time by hand.
let t0: Date = Timestamp.parse("2026-11-29T02:00:00.000Z")!

/// `t0` plus some seconds, rounded to a whole millisecond (the precision stores keep).
func at(_ seconds: Double) -> Date {
    Date(timeIntervalSince1970: ((t0.timeIntervalSince1970 + seconds) * 1000).rounded() / 1000)
}

/// The default lease of the suite.
let lease: Duration = .seconds(30)

extension TaskStore {
    /// Creates a task and returns it.
    func create(
        _ type: String = "email", priority: Priority = .normal, runAt: Date? = nil, maxAttempts: Int = 3,
        uniqueKey: String? = nil, payload: JSONValue = .emptyObject, now: Date = t0
    ) async throws -> TaskRecord {
        try await createTask(
            NewTask(type: type, payload: payload, priority: priority, maxAttempts: maxAttempts, runAt: runAt,
                    uniqueKey: uniqueKey),
            now: now
        ).task
    }

    /// Claims tasks for one worker with the suite's lease.
    func claim(
        _ types: Set<String> = ["email"], worker: WorkerID = "w1", limit: Int = 1, now: Date = t0
    ) async throws -> [TaskRecord] {
        try await claimTasks(types: types, worker: worker, limit: limit, leaseDuration: lease, now: now)
    }

    /// Claims exactly one task and returns it with its token.
    func claimOne(
        _ types: Set<String> = ["email"], worker: WorkerID = "w1", now: Date = t0,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> (task: TaskRecord, token: Int64) {
        let claimed = try await claim(types, worker: worker, now: now)
        try #require(claimed.count == 1, "expected one task to claim", sourceLocation: sourceLocation)
        let lease = try #require(claimed[0].lease, "a claimed task carries its lease", sourceLocation: sourceLocation)
        return (claimed[0], lease.token)
    }
}

/// Expects `body` to throw a ``TaskCoreError`` with `code`; returns the error.
@discardableResult
func expectError(
    _ code: TaskCoreError.Code, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> TaskCoreError? {
    do {
        try await body()
        Issue.record("expected a \(code) error, but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as TaskCoreError {
        #expect(error.code == code, "expected \(code), got \(error.code): \(error.message)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected a TaskCoreError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
