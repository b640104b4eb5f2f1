import Foundation

extension JSONValue {
    /// Whether this value contains `pattern` (the contract's `payload` filter): an object contains
    /// an object pattern when it has every key of the pattern with a value that contains the
    /// pattern's value, recursively; any other pattern must be equal (numbers compare by value, so
    /// `1` equals `1.0`).
    /// - Complexity: O(size of `pattern`) dictionary look-ups.
    public func contains(_ pattern: JSONValue) -> Bool {
        switch (self, pattern) {
        case (.object(let members), .object(let wanted)):
            for (key, value) in wanted {
                guard let member = members[key], member.contains(value) else { return false }
            }
            return true
        case (.array(let elements), .array(let wanted)):
            guard elements.count == wanted.count else { return false }
            return zip(elements, wanted).allSatisfy { $0.isEqualForSearch(to: $1) }
        default:
            return isEqualForSearch(to: pattern)
        }
    }

    /// Equality with numbers compared by value.
    func isEqualForSearch(to other: JSONValue) -> Bool {
        switch (self, other) {
        case (.integer(let a), .double(let b)), (.double(let b), .integer(let a)): return Double(a) == b
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.isEqualForSearch(to: $1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count && a.allSatisfy { key, value in b[key].map(value.isEqualForSearch) ?? false }
        default: return self == other
        }
    }
}

extension TaskQuery {
    /// Whether the search filters of section 7 (all but `statuses`, `type`, `dependsOn` and the page)
    /// accept `task`. Stores that filter in SQL use this for nothing; the in-memory store uses it.
    public func matchesSearchFilters(_ task: TaskRecord) -> Bool {
        if let jobId, task.jobId != jobId { return false }
        if let batchId, task.batchId != batchId { return false }
        if let createdAfter, !(task.createdAt > createdAfter) { return false }
        if let createdBefore, !(task.createdAt < createdBefore) { return false }
        if let ids, !ids.contains(task.id) { return false }
        if let beforeID, !(task.id < beforeID) { return false }
        if let dependsOn, !task.dependsOn.contains(dependsOn) { return false }
        if let payload, !task.payload.contains(payload) { return false }
        return true
    }

    /// Whether any filter beyond the page is set (the bulk endpoint refuses an empty filter without ids).
    public var hasFilter: Bool {
        !statuses.isEmpty || type != nil || jobId != nil || batchId != nil || createdAfter != nil
            || createdBefore != nil || dependsOn != nil || payload != nil || hasFlowFilter
    }

    /// Checks the payload filter: it must be a JSON object.
    /// - Throws: `invalidArgument` naming `payload`.
    public func validateSearch() throws(TaskCoreError) {
        if let payload {
            guard case .object = payload else {
                throw .invalidArgument("payload", "payload: expected a JSON object")
            }
        }
    }
}

extension TaskQuery {
    /// Whether any of the search filters checked by ``matchesSearchFilters(_:)`` is set.
    public var hasSearchFilter: Bool {
        jobId != nil || batchId != nil || createdAfter != nil || createdBefore != nil || ids != nil
            || beforeID != nil || dependsOn != nil || payload != nil || hasFlowFilter
    }

    /// Whether a flow-control filter (queue, concurrency key) is set; none exists yet on this branch.
    public var hasFlowFilter: Bool { false }
}
