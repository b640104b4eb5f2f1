/// A parsed cron expression: Vixie/Debian cron's five fields (minute, hour, day-of-month, month,
/// day-of-week), an optional leading seconds field, macros such as `@daily`, and the `L`, `W`, `#`
/// extensions.
///
/// ```swift
/// let expression = try CronExpression("*/15 9-17 * * MON-FRI")
/// let next = expression.nextFire(after: .now, in: TimeZone(identifier: "Europe/Berlin")!)
/// ```
///
/// Each field is kept as a bit set, so matching is a few bit operations and the next fire time is
/// found by jumping month → day → hour → minute → second, never by scanning minute by minute.
/// See `Docs/CRON.md` for the full syntax, the day-of-month/day-of-week OR rule and the
/// daylight-saving behaviour.
public struct CronExpression: Hashable, Sendable, CustomStringConvertible {
    /// Seconds that match (bits 0-59); only bit 0 for a five-field expression.
    let secondMask: UInt64
    /// Minutes that match (bits 0-59).
    let minuteMask: UInt64
    /// Hours that match (bits 0-23).
    let hourMask: UInt64
    /// Plain days of the month that match (bits 1-31).
    let dayMask: UInt64
    /// Months that match (bits 1-12).
    let monthMask: UInt64
    /// Plain weekdays that match (bits 0-6, 0 = Sunday).
    let weekdayMask: UInt64
    /// `L` in day-of-month: the last day of each month matches.
    let lastDayOfMonth: Bool
    /// `nW` in day-of-month: bit `n` set for the weekday nearest day `n`.
    let nearestWeekdayMask: UInt64
    /// `d#n` in day-of-week: bit `d * 8 + n` set for the `n`-th weekday `d` of the month.
    let nthWeekdayMask: UInt64
    /// `dL` in day-of-week: bit `d` set for the last weekday `d` of the month.
    let lastWeekdayMask: UInt64
    /// The day-of-month field begins with `*`, so it does not take part in the OR rule.
    let dayOfMonthStar: Bool
    /// The day-of-week field begins with `*`, so it does not take part in the OR rule.
    let dayOfWeekStar: Bool
    /// Neither the minute nor the hour field begins with `*`: a fixed time of day, which Debian
    /// cron moves out of skipped hours and runs only once in repeated hours.
    let isFixedTime: Bool

    /// The normalised expression: fields separated by single spaces, names and letters in upper
    /// case, a macro in lower case (`*/15 9-17 * * MON-FRI`, `@daily`).
    public let description: String

    /// Parses a cron expression.
    ///
    /// Accepts five fields (`minute hour day-of-month month day-of-week`) or six (seconds first),
    /// separated by spaces or tabs, or one of the macros `@yearly`, `@annually`, `@monthly`,
    /// `@weekly`, `@daily`, `@midnight`, `@hourly`.
    ///
    /// - Parameter text: The expression, at most 1024 bytes of UTF-8.
    /// - Throws: ``TaskCoreError`` with code `invalidCron` and a message naming the field, the
    ///   value and what is allowed (`hour: 25 is out of range 0-23`), also when the expression can
    ///   never fire (`day-of-month: 30 never occurs in February`). The error's `field` is the
    ///   field's name when the problem lies in one field.
    public init(_ text: String) throws(TaskCoreError) {
        var parser = CronParser(text)
        let parsed = try parser.parse()
        secondMask = parsed.masks[CronField.second.rawValue]
        minuteMask = parsed.masks[CronField.minute.rawValue]
        hourMask = parsed.masks[CronField.hour.rawValue]
        dayMask = parsed.masks[CronField.dayOfMonth.rawValue]
        monthMask = parsed.masks[CronField.month.rawValue]
        weekdayMask = parsed.masks[CronField.dayOfWeek.rawValue]
        lastDayOfMonth = parsed.lastDayOfMonth
        nearestWeekdayMask = parsed.nearestWeekdayMask
        nthWeekdayMask = parsed.nthWeekdayMask
        lastWeekdayMask = parsed.lastWeekdayMask
        dayOfMonthStar = parsed.dayOfMonthStar
        dayOfWeekStar = parsed.dayOfWeekStar
        isFixedTime = parsed.isFixedTime
        description = parsed.description
        try checkCanFire(parsed)
    }
}
