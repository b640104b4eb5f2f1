/// An error that fails a task at once, whatever attempts remain.
///
/// Conform your own error types to it, or throw ``TaskFailure/permanent(_:)``.
public protocol NonRetryableError: Error {}

/// Errors a handler can throw to steer what happens to its task.
public struct TaskFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The message stored as the task's `error`.
    public let message: String
    /// Whether the task fails at once instead of being retried.
    public let isRetryable: Bool

    /// A failure that is not worth retrying (bad input, a permanently missing resource): the task
    /// becomes `failed` at once with `message` as its error.
    /// - Parameter message: the error stored on the task.
    /// - Returns: the failure to throw.
    public static func permanent(_ message: String) -> TaskFailure {
        TaskFailure(message: message, isRetryable: false)
    }

    /// A failure that is retried with back-off like any other thrown error, with `message` as the
    /// stored error.
    /// - Parameter message: the error stored on the task.
    /// - Returns: the failure to throw.
    public static func retryable(_ message: String) -> TaskFailure {
        TaskFailure(message: message, isRetryable: true)
    }

    public var description: String { message }
}

extension TaskFailure {
    /// Whether `error` asks for the task to fail without further attempts.
    static func isPermanent(_ error: any Error) -> Bool {
        if let failure = error as? TaskFailure { return !failure.isRetryable }
        return error is any NonRetryableError
    }

    /// The text stored as a task's `error` for `error`.
    static func message(for error: any Error) -> String {
        if let failure = error as? TaskFailure { return failure.message }
        let text = String(describing: error)
        return text.isEmpty ? "\(type(of: error))" : text
    }
}
