public import Foundation

/// What a caller gives to create a task; the store fills in the rest.
public struct NewTask: Hashable, Sendable {
    public var type: String
    public var payload: JSONValue
    public var priority: Priority
    public var maxAttempts: Int
    /// When the task becomes ready; `nil` means at creation plus ``delay``.
    public var runAt: Date?
    /// How long after creation the task becomes ready, when ``runAt`` is `nil` (REST's `delayMs`).
    public var delay: Duration?
    /// The per-attempt time limit, or `nil` for the worker's default.
    public var timeout: Duration?
    /// While a task with this key is not final, creating another returns it instead.
    public var uniqueKey: String?
    /// The cron job that enqueued the task, if any.
    public var jobId: JobID?
    /// The queue to put the task in (1–100 characters of `A–Z a–z 0–9 _ . -`).
    public var queue: String
    /// Groups tasks of a queue for its `perKeyConcurrency` (1–200 characters, no control characters), or `nil`.
    public var concurrencyKey: String?

    // Workflows (contract section 6), in a block of their own.
    /// Ids of existing tasks this one waits for (at most ``maxDependencies``, no duplicates).
    public var dependsOn: [TaskID] = []
    /// What a failed or cancelled dependency does to this task (default `cancel`).
    public var onDependencyFailure: DependencyFailurePolicy = .cancel
    /// The batch the task belongs to; set by the stores' batch creation only.
    public var batchId: BatchID? = nil

    /// The longest `delay` accepted: 100 years (a longer one would overflow the timestamp arithmetic).
    public static let maxDelay: Duration = .seconds(3_155_760_000)

    /// The largest `maxAttempts` accepted.
    public static let maxAttemptsRange: ClosedRange<Int> = 1...100

    public init(
        type: String, payload: JSONValue = .emptyObject, priority: Priority = .normal, maxAttempts: Int = 3,
        runAt: Date? = nil, delay: Duration? = nil, timeout: Duration? = nil, uniqueKey: String? = nil, jobId: JobID? = nil,
        queue: String = QueueName.defaultName, concurrencyKey: String? = nil
    ) {
        self.type = type
        self.payload = payload
        self.priority = priority
        self.maxAttempts = maxAttempts
        self.runAt = runAt
        self.delay = delay
        self.timeout = timeout
        self.uniqueKey = uniqueKey
        self.jobId = jobId
        self.queue = queue
        self.concurrencyKey = concurrencyKey
    }

    /// Checks the fields the contract constrains.
    /// - Throws: ``TaskCoreError`` with code `invalidArgument` naming the field.
    public func validate() throws(TaskCoreError) {
        try Self.validateType(type)
        try QueueName.validate(queue)
        try Self.validateConcurrencyKey(concurrencyKey)
        guard Self.maxAttemptsRange.contains(maxAttempts) else {
            throw .invalidArgument("maxAttempts", "maxAttempts: \(maxAttempts) is out of range 1-100")
        }
        if let uniqueKey, uniqueKey.isEmpty || uniqueKey.utf8.count > 500 {
            throw .invalidArgument("uniqueKey", "uniqueKey: expected a non-empty string of at most 500 bytes")
        }
        if let delay, delay < .zero {
            throw .invalidArgument("delayMs", "delayMs: expected 0 or more milliseconds")
        }
        if let delay, delay > Self.maxDelay {
            throw .invalidArgument("delayMs", "delayMs: expected at most 3155760000000 milliseconds (100 years)")
        }
        if let timeout, timeout <= .zero {
            throw .invalidArgument("timeoutMs", "timeoutMs: expected a positive number of milliseconds")
        }
        if !dependsOn.isEmpty { try validateDependencies() }
    }

    /// Checks a task type: a non-empty string of at most 200 characters without control characters.
    /// - Throws: ``TaskCoreError`` with code `invalidArgument`.
    public static func validateType(_ type: String, field: String = "type") throws(TaskCoreError) {
        // Fast path for the common case: printable ASCII needs neither grapheme counting nor the
        // Unicode category tables (it is on every enqueue's path, twice).
        let utf8 = type.utf8
        if let first = utf8.first, first != 0x20, utf8.count <= 200, utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return }
        if type.isEmpty {
            throw .invalidArgument(field, "\(field): must be a non-empty string")
        }
        // Only spaces (or other white space) names nothing, as for job names (issue 12, W6).
        if type.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            throw .invalidArgument(field, "\(field): must not be blank (only white space)")
        }
        // Characters are Unicode code points, as JSON Schema's maxLength (and so our OpenAPI
        // document) counts them; grapheme clusters would let 201 code points pass as 200.
        if type.unicodeScalars.count > 200 {
            throw .invalidArgument(field, "\(field): must be at most 200 characters, found \(type.unicodeScalars.count)")
        }
        if type.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw .invalidArgument(field, "\(field): must not contain control characters")
        }
    }
}

/// The answer to a create: the task, and whether it is new or an existing one with the same `uniqueKey`.
public struct CreatedTask: Hashable, Sendable {
    public var task: TaskRecord
    /// `false` when an unfinished task with the same `uniqueKey` was returned instead.
    public var created: Bool
    public init(task: TaskRecord, created: Bool) {
        self.task = task
        self.created = created
    }
}
