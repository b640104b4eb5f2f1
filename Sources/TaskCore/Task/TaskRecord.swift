public import Foundation

/// A unit of background work as the stores keep it and the REST API returns it.
///
/// Its `Codable` form is exactly the contract's Task JSON (timestamps as ``Timestamp``s); the lease,
/// which only the store and the worker holding it care about, is not part of it.
public struct TaskRecord: Hashable, Sendable {
    public var id: TaskID
    public var type: String
    public var payload: JSONValue
    public var priority: Priority
    public var status: TaskStatus
    /// Attempts started so far (a claim starts one).
    public var attempts: Int
    public var maxAttempts: Int
    public var result: JSONValue?
    public var error: String?
    /// 0...100 as last reported by the running handler, or `nil`.
    public var progress: Int?
    public var uniqueKey: String?
    public var jobId: JobID?
    /// When the task becomes ready to run.
    public var runAt: Date
    public var createdAt: Date
    public var updatedAt: Date
    /// When the latest attempt started.
    public var startedAt: Date?
    /// When the task reached a final status.
    public var completedAt: Date?
    /// The per-attempt time limit chosen at creation, or `nil` for the worker's default.
    public var timeout: Duration?
    /// The lease of the worker running the task; `nil` unless `processing`.
    public var lease: Lease?

    // Workflows (contract section 6): set after `init` by the stores.
    /// The tasks this one waits for, as given at creation.
    public var dependsOn: [TaskID] = []
    /// What a failed or cancelled dependency does to this task.
    public var onDependencyFailure: DependencyFailurePolicy = .cancel
    /// The batch that created the task (`POST /api/batches`), if any.
    public var batchId: BatchID? = nil

    /// Creates a record; stores use this, callers create tasks with ``NewTask``.
    public init(
        id: TaskID, type: String, payload: JSONValue = .emptyObject, priority: Priority = .normal,
        status: TaskStatus = .pending, attempts: Int = 0, maxAttempts: Int = 3,
        result: JSONValue? = nil, error: String? = nil, progress: Int? = nil, uniqueKey: String? = nil,
        jobId: JobID? = nil, runAt: Date, createdAt: Date, updatedAt: Date, startedAt: Date? = nil,
        completedAt: Date? = nil, timeout: Duration? = nil, lease: Lease? = nil
    ) {
        self.id = id
        self.type = type
        self.payload = payload
        self.priority = priority
        self.status = status
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.result = result
        self.error = error
        self.progress = progress
        self.uniqueKey = uniqueKey
        self.jobId = jobId
        self.runAt = runAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.startedAt = startedAt
        self.completedAt = completedAt
        self.timeout = timeout
        self.lease = lease
    }
}

extension TaskRecord: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, type, payload, priority, status, attempts, maxAttempts, result, error, progress
        case uniqueKey, jobId, runAt, createdAt, updatedAt, startedAt, completedAt
        case dependsOn, onDependencyFailure, batchId
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(TaskID.self, forKey: .id)
        type = try c.decode(String.self, forKey: .type)
        payload = try c.decodeIfPresent(JSONValue.self, forKey: .payload) ?? .emptyObject
        priority = try c.decodeIfPresent(Priority.self, forKey: .priority) ?? .normal
        status = try c.decode(TaskStatus.self, forKey: .status)
        attempts = try c.decodeIfPresent(Int.self, forKey: .attempts) ?? 0
        maxAttempts = try c.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? 3
        let decodedResult = try c.decodeIfPresent(JSONValue.self, forKey: .result)
        result = decodedResult == .null ? nil : decodedResult
        error = try c.decodeIfPresent(String.self, forKey: .error)
        progress = try c.decodeIfPresent(Int.self, forKey: .progress)
        uniqueKey = try c.decodeIfPresent(String.self, forKey: .uniqueKey)
        jobId = try c.decodeIfPresent(JobID.self, forKey: .jobId)
        runAt = try c.decodeTimestamp(forKey: .runAt)
        createdAt = try c.decodeTimestamp(forKey: .createdAt)
        updatedAt = try c.decodeTimestamp(forKey: .updatedAt)
        startedAt = try c.decodeTimestampIfPresent(forKey: .startedAt)
        completedAt = try c.decodeTimestampIfPresent(forKey: .completedAt)
        timeout = nil
        lease = nil
        dependsOn = try c.decodeIfPresent([TaskID].self, forKey: .dependsOn) ?? []
        onDependencyFailure = try c.decodeIfPresent(DependencyFailurePolicy.self, forKey: .onDependencyFailure) ?? .cancel
        batchId = try c.decodeIfPresent(BatchID.self, forKey: .batchId)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(type, forKey: .type)
        try c.encode(payload, forKey: .payload)
        try c.encode(priority, forKey: .priority)
        try c.encode(status, forKey: .status)
        try c.encode(attempts, forKey: .attempts)
        try c.encode(maxAttempts, forKey: .maxAttempts)
        try c.encode(result ?? .null, forKey: .result)
        try c.encodeNullable(error, forKey: .error)
        try c.encodeNullable(progress, forKey: .progress)
        try c.encodeNullable(uniqueKey, forKey: .uniqueKey)
        try c.encodeNullable(jobId, forKey: .jobId)
        try c.encode(Timestamp.format(runAt), forKey: .runAt)
        try c.encode(Timestamp.format(createdAt), forKey: .createdAt)
        try c.encode(Timestamp.format(updatedAt), forKey: .updatedAt)
        try c.encodeNullable(startedAt.map(Timestamp.format), forKey: .startedAt)
        try c.encodeNullable(completedAt.map(Timestamp.format), forKey: .completedAt)
        try c.encode(dependsOn, forKey: .dependsOn)
        try c.encode(onDependencyFailure, forKey: .onDependencyFailure)
        try c.encodeNullable(batchId, forKey: .batchId)
    }
}

/// A worker's hold on a processing task.
///
/// The ``token`` is a fencing token: it grows with every claim of the task and is never reused, so
/// a worker whose lease ran out (and whose task another worker claimed since) is refused when it
/// tries to complete, fail, log into or report progress on the task.
public struct Lease: Hashable, Sendable {
    /// The worker holding the lease.
    public var worker: WorkerID
    /// The fencing token of this claim.
    public var token: Int64
    /// When the lease runs out unless renewed.
    public var expiresAt: Date

    public init(worker: WorkerID, token: Int64, expiresAt: Date) {
        self.worker = worker
        self.token = token
        self.expiresAt = expiresAt
    }
}

/// The identity of a worker process or pool, as recorded in leases.
public struct WorkerID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
}
