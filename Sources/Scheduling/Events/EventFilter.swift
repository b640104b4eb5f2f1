public import TaskCore

/// Which ``ChangeEvent``s a subscriber wants: every set attribute must match (AND), and an event
/// matches an attribute only if it carries it (with ``taskID`` set, no job events match).
public struct EventFilter: Sendable, Hashable {
    /// The kinds of events wanted; `nil` for every kind.
    public var kinds: Set<ChangeEvent.Kind>?
    /// Only events of this task.
    public var taskID: TaskID?
    /// Only events carrying this task type (tasks of the type, jobs that enqueue it).
    public var type: String?
    /// Only events carrying this queue.
    public var queue: String?
    /// Only events carrying this job id (the job itself, the tasks it enqueued).
    public var jobID: JobID?
    /// Only events carrying this batch id.
    public var batchID: String?

    /// Creates a filter; every argument left `nil` matches everything.
    public init(
        kinds: Set<ChangeEvent.Kind>? = nil, taskID: TaskID? = nil, type: String? = nil, queue: String? = nil,
        jobID: JobID? = nil, batchID: String? = nil
    ) {
        self.kinds = kinds
        self.taskID = taskID
        self.type = type
        self.queue = queue
        self.jobID = jobID
        self.batchID = batchID
    }

    /// A filter that matches every event.
    public static let all = EventFilter()

    /// Whether `event` passes every set attribute of the filter.
    /// - Complexity: O(1).
    public func matches(_ event: ChangeEvent) -> Bool {
        if let kinds, !kinds.contains(event.kind) { return false }
        if let taskID, event.taskID != taskID { return false }
        if let jobID, event.jobID != jobID { return false }
        if let type, event.type != type { return false }
        if let queue, event.queue != queue { return false }
        if let batchID, event.batchID != batchID { return false }
        return true
    }
}
