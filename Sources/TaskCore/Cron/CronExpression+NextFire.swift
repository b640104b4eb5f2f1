public import Foundation

/// Next-fire calculation: a search in local civil time that jumps month → day → hour → minute →
/// second, mapped to UTC through the zone's offset table with Debian cron's daylight-saving rules.
extension CronExpression {
    /// The first fire time strictly after `date`, evaluated in `zone`.
    ///
    /// Daylight saving follows Debian cron. A *fixed-time* expression (neither the minute nor the
    /// hour field begins with `*`) whose time falls into a skipped interval fires at the instant of
    /// the change (02:30 on a spring-forward day in New York fires at 03:00 EDT), and fires only on
    /// the first pass through a repeated interval. Any other expression follows the wall clock: it
    /// never fires inside a skipped interval and fires on both passes through a repeated one.
    ///
    /// - Parameters:
    ///   - date: The instant to start after; the result is strictly later.
    ///   - zone: The time zone whose wall clock the expression describes.
    /// - Returns: The next fire time, or `nil` if there is none within 400 years (possible only
    ///   for a wall-clock expression whose times always fall into skipped intervals).
    /// - Complexity: O(1) for all practical expressions; no minute-by-minute scan.
    public func nextFire(after date: Date, in zone: TimeZone) -> Date? {
        nextFire(after: date, rules: CronZoneRules.rules(for: zone))
    }

    func nextFire(after date: Date, rules: CronZoneRules) -> Date? {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite, abs(seconds) < 1e13 else { return nil }
        return nextFire(after: Int64(seconds.rounded(.down)), rules: rules).map { Date(timeIntervalSince1970: Double($0)) }
    }

    /// The first fire time (seconds since 1970) strictly after `instant`.
    func nextFire(after instant: Int64, rules: CronZoneRules) -> Int64? {
        let start = instant + 1
        let horizon = start + 146_097 * 86_400 + 86_400  // one Gregorian cycle of 400 years
        let transitions = rules.transitions
        let offsets = rules.offsets
        if transitions.isEmpty {
            let offset = offsets[0]
            return nextLocalMatch(from: start + offset, limit: horizon).map { $0 - offset }
        }
        var period = rules.period(containing: start)
        var offset = offsets[period]
        var from = start + offset
        if isFixedTime, period > 0, transitions[period - 1] == start, offsets[period - 1] < offset,
            nextLocalMatch(from: start + offsets[period - 1], limit: start + offset - 1) != nil
        {
            // Starting exactly at a spring-forward change: fixed times in the skipped interval fire now.
            return start
        }
        if isFixedTime, period > 0, offsets[period - 1] > offset {
            // A repeated interval: a fixed time in it already fired on the first pass.
            from = max(from, transitions[period - 1] + offsets[period - 1])
        }
        guard var match = nextLocalMatch(from: from, limit: horizon) else { return nil }
        while true {
            guard period < transitions.count else { return match - offset }
            let end = transitions[period]
            if match < end + offset { return match - offset }
            let nextOffset = offsets[period + 1]
            let nextStart = end + nextOffset
            if nextOffset > offset {
                // Spring forward: local times [end + offset, nextStart) do not exist.
                if match < nextStart {
                    if isFixedTime { return end }
                    guard let later = nextLocalMatch(from: nextStart, limit: horizon) else { return nil }
                    match = later
                }
            } else if !isFixedTime {
                // Fall back: the wall clock repeats [nextStart, end + offset); a wall-clock expression fires again.
                guard let again = nextLocalMatch(from: nextStart, limit: horizon) else { return nil }
                match = again
            }
            period += 1
            offset = nextOffset
        }
    }

    /// The first local civil time (seconds since 1970 as if local time were UTC) at or after
    /// `start` that matches all fields, or `nil` past `limit`.
    func nextLocalMatch(from start: Int64, limit: Int64) -> Int64? {
        var days = start >= 0 ? start / 86_400 : (start - 86_399) / 86_400
        let secondOfDay = Int(start - days * 86_400)
        var (year, month, day) = Timestamp.civilDate(fromDays: days)
        var hour = secondOfDay / 3600
        var minute = secondOfDay / 60 % 60
        var second = secondOfDay % 60
        while days * 86_400 <= limit {
            if !CronBits.contains(monthMask, month) {
                if let next = CronBits.next(monthMask, atLeast: month + 1) {
                    month = next
                } else {
                    year += 1
                    month = monthMask.trailingZeroBitCount
                }
                day = 1
                days = Timestamp.daysFromCivil(year: year, month: month, day: 1)
                (hour, minute, second) = (0, 0, 0)
                continue
            }
            let candidates = matchingDays(year: year, month: month) & ~((UInt64(1) << UInt64(day)) &- 1)
            if candidates == 0 {
                month += 1
                if month > 12 { month = 1; year += 1 }
                day = 1
                days = Timestamp.daysFromCivil(year: year, month: month, day: 1)
                (hour, minute, second) = (0, 0, 0)
                continue
            }
            let found = candidates.trailingZeroBitCount
            if found != day {
                days += Int64(found - day)
                day = found
                (hour, minute, second) = (0, 0, 0)
            }
            if let time = nextTime(hour: hour, minute: minute, second: second) {
                let result = days * 86_400 + Int64(time.hour * 3600 + time.minute * 60 + time.second)
                return result <= limit ? result : nil
            }
            day += 1
            days += 1
            (hour, minute, second) = (0, 0, 0)
        }
        return nil
    }

    /// The first matching time of day at or after the given one, or `nil` if none is left today.
    @inline(__always)
    func nextTime(hour: Int, minute: Int, second: Int) -> (hour: Int, minute: Int, second: Int)? {
        let firstSecond = secondMask.trailingZeroBitCount
        if CronBits.contains(hourMask, hour) {
            if CronBits.contains(minuteMask, minute) {
                if let next = CronBits.next(secondMask, atLeast: second) { return (hour, minute, next) }
                if let next = CronBits.next(minuteMask, atLeast: minute + 1) { return (hour, next, firstSecond) }
            } else if let next = CronBits.next(minuteMask, atLeast: minute) {
                return (hour, next, firstSecond)
            }
            guard let next = CronBits.next(hourMask, atLeast: hour + 1) else { return nil }
            return (next, minuteMask.trailingZeroBitCount, firstSecond)
        }
        guard let next = CronBits.next(hourMask, atLeast: hour) else { return nil }
        return (next, minuteMask.trailingZeroBitCount, firstSecond)
    }
}
