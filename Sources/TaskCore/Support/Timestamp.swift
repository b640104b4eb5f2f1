public import Foundation

/// The contract's timestamp format: ISO 8601 in UTC with milliseconds and a `Z`
/// (`2026-11-29T02:00:00.000Z`, what JavaScript's `toISOString` prints).
///
/// Hand-written rather than `ISO8601DateFormatter` because it is on every request's hot path,
/// and because it must be thread-safe and allocation-light.
public enum Timestamp {
    /// Formats `date` as `YYYY-MM-DDTHH:MM:SS.mmmZ` in UTC, rounding down to the millisecond.
    public static func format(_ date: Date) -> String {
        // Clamped, so that absurd instants (Date(timeIntervalSince1970: 1e300), .infinity) do not trap.
        let scaled = date.wholeMillisecondsSince1970
        let limit = 8.64e18
        let totalMillis = scaled.isNaN ? 0 : Int64(Swift.max(-limit, Swift.min(limit, scaled)))
        var days = totalMillis / 86_400_000
        var millisOfDay = totalMillis % 86_400_000
        if millisOfDay < 0 {
            millisOfDay += 86_400_000
            days -= 1
        }
        let (year, month, day) = civilDate(fromDays: days)
        let hour = Int(millisOfDay / 3_600_000)
        let minute = Int(millisOfDay / 60_000 % 60)
        let second = Int(millisOfDay / 1000 % 60)
        let millis = Int(millisOfDay % 1000)

        var bytes = [UInt8]()
        bytes.reserveCapacity(24)
        func append(_ value: Int, digits: Int) {
            var divisor = 1
            for _ in 1..<digits { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") &+ UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        if year < 0 || year > 9999 {
            // Outside four digits, fall back to the extended form with a sign.
            bytes.append(year < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            append(abs(Int(year)), digits: 6)
        } else {
            append(Int(year), digits: 4)
        }
        bytes.append(UInt8(ascii: "-")); append(month, digits: 2)
        bytes.append(UInt8(ascii: "-")); append(day, digits: 2)
        bytes.append(UInt8(ascii: "T")); append(hour, digits: 2)
        bytes.append(UInt8(ascii: ":")); append(minute, digits: 2)
        bytes.append(UInt8(ascii: ":")); append(second, digits: 2)
        bytes.append(UInt8(ascii: ".")); append(millis, digits: 3)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by `Z` or an offset `±HH:MM`
    /// (or `±HHMM`); a lowercase `t`/`z` and a space instead of `T` are accepted too.
    /// Fractions beyond milliseconds are truncated. Returns `nil` for anything else.
    public static func parse(_ text: some StringProtocol) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 16, bytes.count <= 40 else { return nil }
        var index = 0
        func number(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let byte = bytes[index + offset]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += count
            return value
        }
        func expect(_ allowed: UInt8...) -> Bool {
            guard index < bytes.count, allowed.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(UInt8(ascii: "-")),
            let month = number(2), expect(UInt8(ascii: "-")),
            let day = number(2), expect(UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")),
            let hour = number(2), expect(UInt8(ascii: ":")),
            let minute = number(2)
        else { return nil }
        var second = 0
        var millis = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            index += 1
            guard let value = number(2) else { return nil }
            second = value
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
                index += 1
                var digits = 0
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                    if digits < 3 { millis = millis * 10 + Int(bytes[index] - 0x30) }
                    digits += 1
                    index += 1
                }
                guard digits > 0, digits <= 9 else { return nil }
                if digits < 3 {
                    for _ in digits..<3 { millis *= 10 }
                }
            }
        }
        var offsetSeconds = 0
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let offsetHours = number(2) else { return nil }
            _ = expect(UInt8(ascii: ":"))
            guard let offsetMinutes = number(2), offsetHours <= 23, offsetMinutes <= 59 else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        default:
            return nil
        }
        guard index == bytes.count else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
            hour <= 23, minute <= 59, second <= 59
        else { return nil }
        let days = daysFromCivil(year: Int64(year), month: month, day: day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return Date(timeIntervalSince1970: Double(seconds) + Double(millis) / 1000)
    }

    /// Days from 1970-01-01 to the given proleptic Gregorian date (Howard Hinnant's algorithm).
    package static func daysFromCivil(year: Int64, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count from 1970-01-01.
    package static func civilDate(fromDays days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The number of days in a month of the proleptic Gregorian calendar.
    package static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

extension Date {
    /// This instant rounded down to a whole millisecond, the precision the stores keep.
    public var truncatedToMilliseconds: Date {
        Date(timeIntervalSince1970: wholeMillisecondsSince1970 / 1000)
    }

    /// Milliseconds since 1970 rounded down, where a value within a microsecond of a whole
    /// millisecond counts as that millisecond: `Date` keeps its time relative to 2001, so converting
    /// to 1970 adds noise of up to about 0.1 µs that a plain round-down would turn into a lost
    /// millisecond (-0.001 s printed as .998).
    package var wholeMillisecondsSince1970: Double {
        let scaled = timeIntervalSince1970 * 1000
        let nearest = scaled.rounded()
        return abs(scaled - nearest) < 0.001 ? nearest : scaled.rounded(.down)
    }

    /// The store column value of this instant: whole milliseconds since 1970, rounded down as
    /// ``truncatedToMilliseconds`` rounds. Every store converts with this one rule: a store that
    /// rounded to nearest would stamp a completion up to 0.5 ms after a start it precedes, and a
    /// concurrency limit would then look broken in the tasks' own timestamps.
    /// Clamped to the `Int64` range for instants absurdly far away.
    package var storeMilliseconds: Int64 {
        let value = wholeMillisecondsSince1970
        guard value.isFinite else { return value > 0 ? .max : .min }
        return value >= 9.2e18 ? .max : value <= -9.2e18 ? .min : Int64(value)
    }
}
