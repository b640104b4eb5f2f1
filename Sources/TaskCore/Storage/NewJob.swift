/// What a caller gives to create a cron job.
public struct NewJob: Hashable, Sendable {
    public var name: String
    public var type: String
    public var schedule: String
    public var timezone: String
    public var payload: JSONValue
    public var priority: Priority
    public var maxAttempts: Int?
    public var catchUp: CatchUpPolicy
    /// The queue of the tasks the job enqueues.
    public var queue: String

    public init(
        name: String, type: String, schedule: String, timezone: String = "UTC",
        payload: JSONValue = .emptyObject, priority: Priority = .normal, maxAttempts: Int? = nil,
        catchUp: CatchUpPolicy = .once, queue: String = QueueName.defaultName
    ) {
        self.name = name
        self.type = type
        self.schedule = schedule
        self.timezone = timezone
        self.payload = payload
        self.priority = priority
        self.maxAttempts = maxAttempts
        self.catchUp = catchUp
        self.queue = queue
    }
}

/// A partial update of a job: `nil` fields stay as they are.
public struct JobUpdate: Hashable, Sendable {
    public var name: String?
    public var schedule: String?
    public var timezone: String?
    public var payload: JSONValue?
    public var priority: Priority?
    public var maxAttempts: Int?
    public var catchUp: CatchUpPolicy?
    public var queue: String?

    public init(
        name: String? = nil, schedule: String? = nil, timezone: String? = nil, payload: JSONValue? = nil,
        priority: Priority? = nil, maxAttempts: Int? = nil, catchUp: CatchUpPolicy? = nil, queue: String? = nil
    ) {
        self.name = name
        self.schedule = schedule
        self.timezone = timezone
        self.payload = payload
        self.priority = priority
        self.maxAttempts = maxAttempts
        self.catchUp = catchUp
        self.queue = queue
    }

    /// Whether the update changes when the job fires (so `nextRun` must be recomputed).
    public var changesTiming: Bool { schedule != nil || timezone != nil }
}
