public import Foundation

/// A filter and page for listing tasks, newest first.
public struct TaskQuery: Hashable, Sendable {
    /// Only tasks in one of these statuses; empty means all.
    public var statuses: Set<TaskStatus>
    /// Only tasks of this type, if set.
    public var type: String?
    /// Page size, 1...1000.
    public var limit: Int
    /// Tasks to skip, 0 or more.
    public var offset: Int

    // Search (contract section 7), in a block of their own; `nil` means no condition.
    /// Only tasks enqueued by this cron job.
    public var jobId: JobID? = nil
    /// Only tasks of this batch (its callback included).
    public var batchId: BatchID? = nil
    /// Only tasks created strictly after this instant.
    public var createdAfter: Date? = nil
    /// Only tasks created strictly before this instant.
    public var createdBefore: Date? = nil
    /// Only the dependents of this task (tasks whose `dependsOn` lists it).
    public var dependsOn: TaskID? = nil
    /// Only tasks whose payload contains this JSON object (``JSONValue/contains(_:)``).
    public var payload: JSONValue? = nil
    /// Only tasks with these ids (bulk operations with `ids`).
    public var ids: Set<TaskID>? = nil
    /// Only tasks with an id below this one (keyset paging of bulk operations).
    public var beforeID: TaskID? = nil

    public static let limitRange: ClosedRange<Int> = 1...1000

    public init(statuses: Set<TaskStatus> = [], type: String? = nil, limit: Int = 50, offset: Int = 0) {
        self.statuses = statuses
        self.type = type
        self.limit = limit
        self.offset = offset
    }

    /// Checks limit and offset.
    /// - Throws: ``TaskCoreError`` with code `invalidArgument` naming the field.
    public func validate() throws(TaskCoreError) {
        guard Self.limitRange.contains(limit) else {
            throw .invalidArgument("limit", "limit: \(limit) is out of range 1-1000")
        }
        guard offset >= 0 else {
            throw .invalidArgument("offset", "offset: \(offset) must be 0 or more")
        }
    }
}

/// One page of a task listing.
public struct TaskPage: Hashable, Sendable {
    /// The tasks of the page, newest (highest id) first.
    public var tasks: [TaskRecord]
    /// How many tasks match the filter in all.
    public var total: Int
    public init(tasks: [TaskRecord], total: Int) {
        self.tasks = tasks
        self.total = total
    }
}

/// Task counts per status and per type.
public struct TaskStats: Hashable, Sendable {
    /// Counts of one group of tasks.
    public struct Counts: Hashable, Sendable {
        public var byStatus: [TaskStatus: Int]
        public init(byStatus: [TaskStatus: Int] = [:]) { self.byStatus = byStatus }
        public var total: Int { byStatus.values.reduce(0, +) }
        public subscript(status: TaskStatus) -> Int {
            get { byStatus[status] ?? 0 }
            set { byStatus[status] = newValue }
        }
    }

    /// Counts over all tasks.
    public var all: Counts
    /// Counts per task type.
    public var byType: [String: Counts]
    /// How many completed tasks have a known duration, and their summed duration in milliseconds.
    public var completedDurationCount: Int
    public var completedDurationTotalMilliseconds: Double

    public init(
        all: Counts = Counts(), byType: [String: Counts] = [:], completedDurationCount: Int = 0,
        completedDurationTotalMilliseconds: Double = 0
    ) {
        self.all = all
        self.byType = byType
        self.completedDurationCount = completedDurationCount
        self.completedDurationTotalMilliseconds = completedDurationTotalMilliseconds
    }

    public var total: Int { all.total }

    /// The mean time from start of the last attempt to completion, over completed tasks.
    public var meanCompletedDurationMilliseconds: Double? {
        completedDurationCount == 0 ? nil : completedDurationTotalMilliseconds / Double(completedDurationCount)
    }
}
