/// The one error type TaskCore and the stores throw.
///
/// An error has a stable ``Code`` that callers switch on (REST maps it to a status code, GraphQL to
/// `extensions.code`) and a message written for people: which field, which value, what was expected.
/// New codes can be added without breaking callers, which a public enum could not offer.
public struct TaskCoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable, machine-readable category of error.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A task, job or log that does not exist.
        public static let notFound = Code(rawValue: "not_found")
        /// A status change the contract's transition table does not allow.
        public static let invalidTransition = Code(rawValue: "invalid_transition")
        /// A field that is missing, of the wrong type or out of range.
        public static let invalidArgument = Code(rawValue: "invalid_argument")
        /// A cron expression that does not parse or can never fire.
        public static let invalidCron = Code(rawValue: "invalid_cron")
        /// A worker's fencing token no longer matches: its lease ran out or the task was cancelled.
        public static let leaseLost = Code(rawValue: "lease_lost")
        /// The storage back-end failed or could not be reached.
        public static let storageFailure = Code(rawValue: "storage_failure")
        /// A remote worker service could not be reached.
        public static let unavailable = Code(rawValue: "unavailable")
    }

    /// The category of the error.
    public let code: Code
    /// A human-readable explanation naming the field, the value and what was expected.
    public let message: String
    /// The input field the error is about, when there is one (`"priority"`, `"hour"`).
    public let field: String?

    /// Creates an error.
    public init(code: Code, message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { message }
}

extension TaskCoreError {
    /// An unknown task id.
    public static func taskNotFound(_ id: TaskID) -> TaskCoreError {
        TaskCoreError(code: .notFound, message: "Task \(id) not found")
    }

    /// An unknown job id.
    public static func jobNotFound(_ id: JobID) -> TaskCoreError {
        TaskCoreError(code: .notFound, message: "Job \(id) not found")
    }

    /// A bad input field.
    public static func invalidArgument(_ field: String, _ message: String) -> TaskCoreError {
        TaskCoreError(code: .invalidArgument, message: message, field: field)
    }

    /// A stale fencing token.
    public static func leaseLost(_ id: TaskID) -> TaskCoreError {
        TaskCoreError(code: .leaseLost, message: "Task \(id): the lease is no longer held by this worker")
    }
}
