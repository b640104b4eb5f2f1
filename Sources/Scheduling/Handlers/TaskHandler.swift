public import TaskCore

/// The code that runs tasks of one type.
///
/// It gets the task (with its payload and attempt count) and a ``TaskContext`` for log lines and
/// progress; what it returns is stored as the task's result (`nil` / `.null` for none). A thrown
/// error fails the attempt: the task is retried with back-off until its attempts run out, unless
/// the error is a ``NonRetryableError`` (such as ``TaskFailure/permanent(_:)``). The handler runs
/// in a Swift task that is cancelled when the task is cancelled, times out or is taken away; check
/// `Task.isCancelled` / `Task.checkCancellation()` in long loops.
public typealias TaskHandler = @Sendable (TaskRecord, TaskContext) async throws -> JSONValue
