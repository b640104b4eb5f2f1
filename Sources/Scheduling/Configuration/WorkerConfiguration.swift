public import TaskCore

/// How a ``WorkerService`` runs: slots, leases, timeouts, retries, polling, cron and retention.
///
/// Every field has a sensible default, so `WorkerConfiguration(concurrency: 4)` is a complete
/// configuration.
public struct WorkerConfiguration: Sendable {
    /// How many handlers run at once (worker slots). At least 1.
    public var concurrency: Int
    /// The identity written into leases; by default a random one per service.
    public var workerID: WorkerID
    /// How long a claim holds a task before another worker may recover it. Default 30 s.
    public var leaseDuration: Duration
    /// How often running tasks' leases are renewed; default a third of ``leaseDuration``.
    public var leaseRenewalInterval: Duration?
    /// How often expired leases (of crashed workers) are recovered; default ``leaseDuration`` / 3.
    public var recoveryInterval: Duration?
    /// The time limit of one attempt when the task has no ``TaskRecord/timeout`` of its own;
    /// `nil` for none. Default 5 minutes.
    public var defaultTimeout: Duration?
    /// The back-off between attempts.
    public var backoff: RetryBackoff
    /// How many claimed tasks may wait in this process for a free slot, beyond one per idle slot.
    /// `0` (the default) claims only as many tasks as there are idle slots; a larger value batches
    /// claims for throughput at the cost of holding tasks other processes could run.
    public var prefetch: Int
    /// How often an idle pool looks for tasks enqueued by other processes (tasks enqueued through
    /// this service, and stores that notify, wake it at once). Default 1 s.
    public var pollInterval: Duration
    /// How long a cron job's missed fire time may be late and still fire under `catchUp: skip`.
    /// Default 60 s.
    public var misfireGrace: Duration
    /// How often the scheduler looks for jobs changed by other processes. Default 60 s.
    public var cronPollInterval: Duration
    /// Whether this service runs the cron scheduler. Default `true`.
    public var runsScheduler: Bool
    /// How long ``WorkerService/shutdown()`` lets running handlers finish before they are cancelled
    /// and their tasks released back to pending. Default 30 s.
    public var shutdownGracePeriod: Duration
    /// Completed and cancelled tasks older than this are deleted (when the store supports pruning);
    /// `.zero` turns retention off. Default 7 days.
    public var retention: Duration
    /// How often retention runs. Default 1 h.
    public var retentionInterval: Duration
    /// A task waiting this long for a type no handler in this process serves is reported with a
    /// ``WorkerEvent/unhandledTaskType(type:waiting:)`` warning. Default 60 s.
    public var unhandledTypeWarningAge: Duration
    /// How often unhandled task types are looked for. Default 60 s.
    public var unhandledTypeCheckInterval: Duration
    /// The queues this service's pool claims from (`--queues`); `nil` (the default) for every queue.
    public var queues: Set<String>? = nil
    /// Priority aging (`--priority-aging`): a ready task's effective priority grows by one per
    /// this much waiting, up to 20. `nil` (the default) dispatches by priority alone.
    public var priorityAging: Duration? = nil

    /// Creates a configuration; every parameter has a default.
    public init(
        concurrency: Int = 4,
        workerID: WorkerID? = nil,
        leaseDuration: Duration = .seconds(30),
        leaseRenewalInterval: Duration? = nil,
        recoveryInterval: Duration? = nil,
        defaultTimeout: Duration? = .seconds(300),
        backoff: RetryBackoff = RetryBackoff(),
        prefetch: Int = 0,
        pollInterval: Duration = .seconds(1),
        misfireGrace: Duration = .seconds(60),
        cronPollInterval: Duration = .seconds(60),
        runsScheduler: Bool = true,
        shutdownGracePeriod: Duration = .seconds(30),
        retention: Duration = .seconds(7 * 24 * 3600),
        retentionInterval: Duration = .seconds(3600),
        unhandledTypeWarningAge: Duration = .seconds(60),
        unhandledTypeCheckInterval: Duration = .seconds(60)
    ) {
        self.concurrency = max(1, concurrency)
        self.workerID = workerID ?? WorkerID("worker-\(UInt32.random(in: 0...UInt32.max))")
        self.leaseDuration = leaseDuration
        self.leaseRenewalInterval = leaseRenewalInterval
        self.recoveryInterval = recoveryInterval
        self.defaultTimeout = defaultTimeout
        self.backoff = backoff
        self.prefetch = max(0, prefetch)
        self.pollInterval = pollInterval
        self.misfireGrace = misfireGrace
        self.cronPollInterval = cronPollInterval
        self.runsScheduler = runsScheduler
        self.shutdownGracePeriod = shutdownGracePeriod
        self.retention = retention
        self.retentionInterval = retentionInterval
        self.unhandledTypeWarningAge = unhandledTypeWarningAge
        self.unhandledTypeCheckInterval = unhandledTypeCheckInterval
    }

    /// The lease renewal period in effect.
    var effectiveRenewalInterval: Duration { leaseRenewalInterval ?? leaseDuration / 3 }
    /// The lease recovery period in effect.
    var effectiveRecoveryInterval: Duration { recoveryInterval ?? leaseDuration / 3 }
}
