/// One of the six fields of a cron expression, with the values and names it accepts.
///
/// A field's parsed value is a bit set in a `UInt64`: bit `v` is set when value `v` matches.
enum CronField: Int, CaseIterable, Sendable {
    case second, minute, hour, dayOfMonth, month, dayOfWeek

    /// The name used in error messages (`day-of-week: unknown name 'FUNDAY'`).
    var name: String {
        switch self {
        case .second: "second"
        case .minute: "minute"
        case .hour: "hour"
        case .dayOfMonth: "day-of-month"
        case .month: "month"
        case .dayOfWeek: "day-of-week"
        }
    }

    /// The values a field accepts; day-of-week accepts 7 as a second spelling of Sunday.
    var range: ClosedRange<Int> {
        switch self {
        case .second, .minute: 0...59
        case .hour: 0...23
        case .dayOfMonth: 1...31
        case .month: 1...12
        case .dayOfWeek: 0...7
        }
    }

    /// The largest step that still yields more than one value (`*/60` in minutes is rejected).
    var maximumStep: Int { range.upperBound - range.lowerBound }

    /// The three-letter names a field accepts, upper case, indexed from the field's first name value.
    var names: [String] {
        switch self {
        case .month: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
        case .dayOfWeek: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
        default: []
        }
    }

    /// The value of the first name (`JAN` = 1, `SUN` = 0).
    var firstNameValue: Int { self == .month ? 1 : 0 }

    /// What the field accepts, for error messages (`0-59`, `1-12 or JAN-DEC`).
    var allowedDescription: String {
        let numbers = "\(range.lowerBound)-\(range.upperBound)"
        switch self {
        case .month: return numbers + " or JAN-DEC"
        case .dayOfWeek: return numbers + " or SUN-SAT"
        default: return numbers
        }
    }
}

/// Bit-set helpers for `UInt64` masks.
enum CronBits {
    /// Bits `low...high` set.
    @inline(__always)
    static func mask(_ low: Int, _ high: Int) -> UInt64 {
        let upper: UInt64 = high >= 63 ? ~0 : (UInt64(1) << UInt64(high + 1)) &- 1
        return upper & ~((UInt64(1) << UInt64(low)) &- 1)
    }

    /// The lowest set bit at or above `value`, or `nil`.
    @inline(__always)
    static func next(_ mask: UInt64, atLeast value: Int) -> Int? {
        guard value < 64 else { return nil }
        let rest = mask & (~UInt64(0) << UInt64(value))
        return rest == 0 ? nil : rest.trailingZeroBitCount
    }

    /// Whether bit `value` is set.
    @inline(__always)
    static func contains(_ mask: UInt64, _ value: Int) -> Bool {
        value >= 0 && value < 64 && mask & (UInt64(1) << UInt64(value)) != 0
    }
}
