/// The status of a cron job.
public enum JobStatus: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Fires on schedule.
    case active
    /// Does not fire; its `nextRun` is `nil`.
    case paused
    /// Its most recent run failed for good. It keeps firing; the next successful run makes it active.
    case failed

    public var description: String { rawValue }
}

/// What a job does about fire times it missed while no scheduler was running.
public enum CatchUpPolicy: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Fire once for all missed times (coalesced), then continue from now. The default.
    case once
    /// Drop missed times and continue from now.
    case skip

    public var description: String { rawValue }

    /// Parses "once" or "skip".
    /// - Throws: ``TaskCoreError`` with code `invalidArgument` otherwise.
    public init(parsing text: String) throws(TaskCoreError) {
        guard let policy = CatchUpPolicy(rawValue: text) else {
            throw .invalidArgument("catchUp", "catchUp: unknown value '\(TaskCoreError.excerpt(text))', expected once or skip")
        }
        self = policy
    }
}
