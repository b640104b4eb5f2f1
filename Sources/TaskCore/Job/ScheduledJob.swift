public import Foundation

/// A cron job: a recurring task enqueued each time its schedule fires.
///
/// Its `Codable` form is exactly the contract's Job JSON.
public struct ScheduledJob: Hashable, Sendable {
    public var id: JobID
    public var name: String
    /// The type of the task each fire enqueues.
    public var type: String
    /// The cron expression, as given.
    public var schedule: String
    /// The IANA time zone the schedule is evaluated in.
    public var timezone: String
    public var payload: JSONValue
    public var priority: Priority
    /// `maxAttempts` of each enqueued task, or `nil` for the default.
    public var maxAttempts: Int?
    public var status: JobStatus
    public var lastRun: Date?
    /// The next fire time; `nil` while paused.
    public var nextRun: Date?
    public var lastTaskId: TaskID?
    public var runCount: Int
    public var catchUp: CatchUpPolicy
    public var createdAt: Date
    public var updatedAt: Date
    /// The queue of the tasks the job enqueues.
    public var queue: String

    public init(
        id: JobID, name: String, type: String, schedule: String, timezone: String = "UTC",
        payload: JSONValue = .emptyObject, priority: Priority = .normal, maxAttempts: Int? = nil,
        status: JobStatus = .active, lastRun: Date? = nil, nextRun: Date?, lastTaskId: TaskID? = nil,
        runCount: Int = 0, catchUp: CatchUpPolicy = .once, createdAt: Date, updatedAt: Date,
        queue: String = QueueName.defaultName
    ) {
        self.id = id
        self.name = name
        self.type = type
        self.schedule = schedule
        self.timezone = timezone
        self.payload = payload
        self.priority = priority
        self.maxAttempts = maxAttempts
        self.status = status
        self.lastRun = lastRun
        self.nextRun = nextRun
        self.lastTaskId = lastTaskId
        self.runCount = runCount
        self.catchUp = catchUp
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.queue = queue
    }
}

extension ScheduledJob: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, name, type, schedule, timezone, payload, priority, maxAttempts, status, lastRun, nextRun
        case lastTaskId, runCount, catchUp, createdAt, updatedAt, queue
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(JobID.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        type = try c.decode(String.self, forKey: .type)
        schedule = try c.decode(String.self, forKey: .schedule)
        timezone = try c.decodeIfPresent(String.self, forKey: .timezone) ?? "UTC"
        payload = try c.decodeIfPresent(JSONValue.self, forKey: .payload) ?? .emptyObject
        priority = try c.decodeIfPresent(Priority.self, forKey: .priority) ?? .normal
        maxAttempts = try c.decodeIfPresent(Int.self, forKey: .maxAttempts)
        status = try c.decode(JobStatus.self, forKey: .status)
        lastRun = try c.decodeTimestampIfPresent(forKey: .lastRun)
        nextRun = try c.decodeTimestampIfPresent(forKey: .nextRun)
        lastTaskId = try c.decodeIfPresent(TaskID.self, forKey: .lastTaskId)
        runCount = try c.decodeIfPresent(Int.self, forKey: .runCount) ?? 0
        catchUp = try c.decodeIfPresent(CatchUpPolicy.self, forKey: .catchUp) ?? .once
        createdAt = try c.decodeTimestamp(forKey: .createdAt)
        updatedAt = try c.decodeTimestamp(forKey: .updatedAt)
        queue = try c.decodeIfPresent(String.self, forKey: .queue) ?? QueueName.defaultName
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(type, forKey: .type)
        try c.encode(schedule, forKey: .schedule)
        try c.encode(timezone, forKey: .timezone)
        try c.encode(payload, forKey: .payload)
        try c.encode(priority, forKey: .priority)
        try c.encode(status, forKey: .status)
        try c.encodeNullable(lastRun.map(Timestamp.format), forKey: .lastRun)
        try c.encodeNullable(nextRun.map(Timestamp.format), forKey: .nextRun)
        try c.encodeNullable(lastTaskId, forKey: .lastTaskId)
        try c.encode(runCount, forKey: .runCount)
        try c.encode(catchUp, forKey: .catchUp)
        try c.encode(Timestamp.format(createdAt), forKey: .createdAt)
        try c.encode(Timestamp.format(updatedAt), forKey: .updatedAt)
        try c.encode(queue, forKey: .queue)
    }
}
