import Foundation
import Scheduling
import TaskCore
import WorkerAPI

/// The task types the demo serves: the reference's `email`, `test-email` and `backup` (short
/// simulated work with log lines and progress) and `echo`, `sleep`, `fail` and `collect`, which show the machinery.
enum DemoHandlers {
    /// Registers every demo handler on `service`, each timed into `metrics` and, when `attemptLog`
    /// is given (test-only `WORKER_DEMO_ATTEMPT_LOG`), writing each attempt's start and finish there.
    static func register(on service: WorkerService, metrics: MetricsRegistry, attemptLog: AttemptLog? = nil) {
        let handlers: [(String, TaskHandler)] = [
            ("email", email), ("test-email", email), ("backup", backup), ("echo", echo), ("sleep", sleep), ("fail", fail),
            ("collect", collect),
        ]
        for (type, handler) in handlers {
            let handler = attemptLog?.wrap(handler) ?? handler
            service.register(type, handler: timed(type, handler, metrics))
        }
    }

    /// Wraps a handler so each attempt's outcome and duration reach `GET /metrics`.
    static func timed(_ type: String, _ handler: @escaping TaskHandler, _ metrics: MetricsRegistry) -> TaskHandler {
        { task, context in
            let start = ContinuousClock.now
            func seconds() -> Double {
                let elapsed = ContinuousClock.now - start
                return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            }
            do {
                let result = try await handler(task, context)
                metrics.recordAttempt(type: type, outcome: .completed, seconds: seconds())
                return result
            } catch {
                let outcome: MetricsRegistry.AttemptOutcome = error is CancellationError ? .cancelled : .failed
                metrics.recordAttempt(type: type, outcome: outcome, seconds: seconds())
                throw error
            }
        }
    }

    /// Pretends to send an email to `payload.to`: two log lines, progress, ~50 ms.
    static let email: TaskHandler = { task, context in
        let recipient = task.payload["to"]?.stringValue ?? "nobody@example.com"
        await context.log(.info, "sending email to \(recipient)")
        try await context.sleep(for: .milliseconds(25))
        try await context.progress(50)
        try await context.sleep(for: .milliseconds(25))
        try await context.progress(100)
        await context.log(.info, "email to \(recipient) sent")
        return ["sent": true, "to": .string(recipient), "messageId": .string("demo-\(task.id)-\(context.attempt)")]
    }

    /// Pretends to back up: four steps of ~50 ms with progress.
    static let backup: TaskHandler = { task, context in
        let steps = ["snapshot", "compress", "upload", "verify"]
        for (index, step) in steps.enumerated() {
            await context.log(.info, "backup step \(index + 1)/\(steps.count): \(step)")
            try await context.sleep(for: .milliseconds(50))
            try await context.progress((index + 1) * 100 / steps.count)
        }
        return ["files": 128, "bytes": 52_428_800, "target": task.payload["target"] ?? "local"]
    }

    /// Returns its payload.
    static let echo: TaskHandler = { task, _ in task.payload }

    /// Waits `payload.ms` milliseconds (default 1000, at most one hour); cancellable. With
    /// `payload.steps` (2...100) it sleeps in that many steps and reports progress after each
    /// (what the dashboard's task view shows moving).
    static let sleep: TaskHandler = { task, context in
        let milliseconds = min(max(task.payload["ms"]?.integerValue ?? 1000, 0), 3_600_000)
        let steps = min(max(task.payload["steps"]?.integerValue ?? 1, 1), 100)
        await context.log(.info, "sleeping \(milliseconds) ms")
        for step in 1...steps {
            try await context.sleep(for: .milliseconds(milliseconds / steps))
            if steps > 1 { try await context.progress(Int(step * 100 / steps)) }
        }
        return ["sleptMs": .integer(milliseconds)]
    }

    /// Always throws (retryable), so retries and back-off can be watched; `payload.message` sets the error.
    static let fail: TaskHandler = { task, context in
        let message = task.payload["message"]?.stringValue ?? "fail: this handler always fails (attempt \(context.attempt))"
        await context.log(.error, message)
        throw TaskFailure.retryable(message)
    }
}
