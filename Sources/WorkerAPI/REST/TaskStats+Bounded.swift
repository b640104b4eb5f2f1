public import TaskCore

extension TaskStats {
    /// `byType` bounded for output (issue 12, D4): the `limit` types with the most tasks (ties by
    /// name), by name, then, when any are left, ``otherTypesKey`` with the sum of the others.
    /// 20,000 task types therefore make a summary of 101 entries, not 4.5 MB.
    /// - Parameter limit: how many types to list one by one.
    /// - Returns: the groups to print, in order.
    /// - Complexity: O(n log n) in the number of types.
    public func boundedByType(limit: Int = listedTypeLimit) -> [(type: String, counts: Counts)] {
        var named: [(type: String, counts: Counts)] = []
        var other = Counts()
        var hasOther = false
        for (type, counts) in byType {
            if type == Self.otherTypesKey {
                other.add(counts)
                hasOther = true
            } else {
                named.append((type, counts))
            }
        }
        if named.count > limit {
            named.sort { ($0.counts.total, $1.type) > ($1.counts.total, $0.type) }
            for (_, counts) in named[limit...] { other.add(counts) }
            named.removeSubrange(limit...)
            hasOther = true
        }
        named.sort { $0.type < $1.type }
        if hasOther { named.append((Self.otherTypesKey, other)) }
        return named
    }
}

extension TaskStats.Counts {
    /// Adds every status count of `other`.
    mutating func add(_ other: TaskStats.Counts) {
        for (status, count) in other.byStatus { self[status] += count }
    }
}
