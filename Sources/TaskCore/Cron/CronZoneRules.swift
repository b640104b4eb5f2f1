import Foundation
import Synchronization

/// A time zone's UTC offsets as a table of transitions, so that a next-fire calculation needs no
/// Foundation calendar or time-zone call: built once per zone (from `secondsFromGMT(for:)` and
/// `nextDaylightSavingTimeTransition(after:)`) and shared.
///
/// The table covers 1900-2500; before it the 1900 offset applies, after it the last offset.
final class CronZoneRules: Sendable {
    /// Instants (seconds since 1970, UTC) at which the offset changes, ascending.
    let transitions: [Int64]
    /// `offsets[k]` is the offset (seconds east of UTC) from `transitions[k - 1]` to `transitions[k]`.
    let offsets: [Int64]

    static let tableStart: Int64 = -2_208_988_800  // 1900-01-01T00:00:00Z
    static let tableEnd: Int64 = 16_725_225_600  // 2500-01-01T00:00:00Z

    init(zone: TimeZone) {
        var transitions: [Int64] = []
        var offsets: [Int64] = [Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(Self.tableStart))))]
        var cursor = Date(timeIntervalSince1970: Double(Self.tableStart))
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next > cursor {
            let seconds = Int64(next.timeIntervalSince1970.rounded(.down))
            guard seconds < Self.tableEnd else { break }
            let offset = Int64(zone.secondsFromGMT(for: next))
            if offset != offsets[offsets.count - 1] {
                transitions.append(seconds)
                offsets.append(offset)
            }
            cursor = next
        }
        self.transitions = transitions
        self.offsets = offsets
    }

    /// The index of the offset period containing `instant`: the number of transitions at or before it.
    @inline(__always)
    func period(containing instant: Int64) -> Int {
        var low = 0
        var high = transitions.count
        while low < high {
            let middle = (low + high) >> 1
            if transitions[middle] <= instant { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private static let cache = Mutex<[String: CronZoneRules]>([:])
    private static let utc = CronZoneRules(fixedOffset: 0)

    private init(fixedOffset: Int64) {
        transitions = []
        offsets = [fixedOffset]
    }

    /// The shared rules of `zone`.
    static func rules(for zone: TimeZone) -> CronZoneRules {
        let identifier = zone.identifier
        if identifier == "UTC" || identifier == "GMT" { return utc }
        if let rules = cache.withLock({ $0[identifier] }) { return rules }
        let rules = CronZoneRules(zone: zone)
        return cache.withLock { cache in
            if let existing = cache[identifier] { return existing }
            cache[identifier] = rules
            return rules
        }
    }
}
