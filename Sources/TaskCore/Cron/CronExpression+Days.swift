/// Which days of a month an expression matches, with the OR rule and the `L`, `W`, `#` extensions.
extension CronExpression {
    /// Bits 0, 7, 14, 21, 28, 35: one bit per week, shifted onto the first day with a given weekday.
    private static let weeklyPattern: UInt64 = 0x8_1020_4081

    /// The days (bits 1-31) of `month` in `year` on which the expression fires.
    ///
    /// When the day-of-month and day-of-week fields are both restricted (neither begins with `*`)
    /// a day matches if either matches; otherwise it must match both.
    @inline(__always)
    func matchingDays(year: Int64, month: Int) -> UInt64 {
        let length = Timestamp.daysInMonth(year: Int(year), month: month)
        let valid = CronBits.mask(1, length)
        let firstDay = Timestamp.daysFromCivil(year: year, month: month, day: 1)
        let firstWeekday = Int(((firstDay % 7) + 11) % 7)  // 1970-01-01 was a Thursday (4)

        var byMonthDay = dayMask & valid
        if lastDayOfMonth { byMonthDay |= 1 << UInt64(length) }
        if nearestWeekdayMask != 0 {
            var days = nearestWeekdayMask & valid
            while days != 0 {
                let day = days.trailingZeroBitCount
                days &= days - 1
                byMonthDay |= 1 << UInt64(Self.nearestWeekday(to: day, length: length, firstWeekday: firstWeekday))
            }
        }

        var byWeekday: UInt64
        if weekdayMask == 0x7F {
            byWeekday = valid
        } else {
            byWeekday = 0
            var weekdays = weekdayMask
            while weekdays != 0 {
                let weekday = weekdays.trailingZeroBitCount
                weekdays &= weekdays - 1
                byWeekday |= Self.weeklyPattern << UInt64((weekday - firstWeekday + 7) % 7 + 1)
            }
            if nthWeekdayMask != 0 {
                var bits = nthWeekdayMask
                while bits != 0 {
                    let bit = bits.trailingZeroBitCount
                    bits &= bits - 1
                    let day = (bit / 8 - firstWeekday + 7) % 7 + 1 + 7 * (bit % 8 - 1)
                    if day <= length { byWeekday |= 1 << UInt64(day) }
                }
            }
            if lastWeekdayMask != 0 {
                let lastWeekday = (firstWeekday + length - 1) % 7
                var weekdays = lastWeekdayMask
                while weekdays != 0 {
                    let weekday = weekdays.trailingZeroBitCount
                    weekdays &= weekdays - 1
                    byWeekday |= 1 << UInt64(length - (lastWeekday - weekday + 7) % 7)
                }
            }
            byWeekday &= valid
        }
        return dayOfMonthStar || dayOfWeekStar ? byMonthDay & byWeekday : byMonthDay | byWeekday
    }

    /// The weekday (Monday-Friday) nearest to `day`, without leaving the month: a Saturday moves
    /// back to Friday (forward to Monday the 3rd when it is the 1st), a Sunday forward to Monday
    /// (back to Friday when it is the last day).
    static func nearestWeekday(to day: Int, length: Int, firstWeekday: Int) -> Int {
        switch (firstWeekday + day - 1) % 7 {
        case 6: return day == 1 ? 3 : day - 1
        case 0: return day == length ? day - 2 : day + 1
        default: return day
        }
    }

    /// Rejects an expression whose days can never occur, such as `0 0 30 2 *`: the calendar repeats
    /// every 400 years, so one cycle settles it.
    func checkCanFire(_ parsed: ParsedCron) throws(TaskCoreError) {
        for year in Int64(2000)..<2400 {
            var months = monthMask
            while months != 0 {
                let month = months.trailingZeroBitCount
                months &= months - 1
                if matchingDays(year: year, month: month) != 0 { return }
            }
        }
        let monthNames = Self.monthList(monthMask)
        let dayText = parsed.fieldTexts[CronField.dayOfMonth.rawValue]
        if dayOfWeekStar && weekdayMask == 0x7F {
            throw CronParser.error(.dayOfMonth, "\(dayText) never occurs in \(monthNames)")
        }
        let weekdayText = parsed.fieldTexts[CronField.dayOfWeek.rawValue]
        throw CronParser.error(
            "the expression never fires: day-of-month \(dayText) and day-of-week \(weekdayText) never fall on the same day in \(monthNames)")
    }

    /// English month names of a month set: `February`, `April, June and September`.
    private static func monthList(_ mask: UInt64) -> String {
        let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                     "October", "November", "December"]
        let chosen = (1...12).filter { CronBits.contains(mask, $0) }.map { names[$0 - 1] }
        guard chosen.count > 1 else { return chosen.first ?? "" }
        return chosen.dropLast().joined(separator: ", ") + " or " + chosen.last!
    }
}
