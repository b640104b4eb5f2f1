import Foundation

/// SplitMix64: a small seeded generator so that property tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A random cron expression together with an independent model of what it matches, built from the
/// same random choices rather than by the parser under test.
struct CronModel: CustomStringConvertible {
    var text = ""
    var seconds: Set<Int> = [0]
    var minutes: Set<Int> = []
    var hours: Set<Int> = []
    var days: Set<Int> = []
    var lastDay = false
    var nearestWeekdays: [Int] = []
    var months: Set<Int> = []
    var weekdays: Set<Int> = []
    var nthWeekdays: [(weekday: Int, n: Int)] = []
    var lastWeekdays: [Int] = []
    var dayStar = false
    var weekdayStar = false
    var fixed = true

    var description: String { text }

    /// Whether the local civil time (seconds since 1970 as if local were UTC) matches.
    func matches(local: Int64) -> Bool {
        let day = Int64((Double(local) / 86_400).rounded(.down))
        let secondOfDay = Int(local - day * 86_400)
        guard seconds.contains(secondOfDay % 60), minutes.contains(secondOfDay / 60 % 60),
            hours.contains(secondOfDay / 3600)
        else { return false }
        return matchesDay(Date(timeIntervalSince1970: Double(day * 86_400)))
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    func matchesDay(_ midnight: Date) -> Bool {
        let calendar = Self.calendar
        let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: midnight)
        let (month, day, weekday) = (parts.month!, parts.day!, parts.weekday! - 1)
        guard months.contains(month) else { return false }
        let length = calendar.range(of: .day, in: .month, for: midnight)!.count
        func weekdayOf(_ other: Int) -> Int { ((weekday + other - day) % 7 + 7) % 7 }
        var byDay = days.contains(day) || (lastDay && day == length)
        for n in nearestWeekdays where n <= length {
            var target = n
            switch weekdayOf(n) {
            case 6: target = n == 1 ? 3 : n - 1
            case 0: target = n == length ? n - 2 : n + 1
            default: break
            }
            if target == day { byDay = true }
        }
        var byWeekday = weekdays.contains(weekday)
        for (w, n) in nthWeekdays where w == weekday && (day - 1) / 7 + 1 == n { byWeekday = true }
        for w in lastWeekdays where w == weekday && day + 7 > length { byWeekday = true }
        return dayStar || weekdayStar ? byDay && byWeekday : byDay || byWeekday
    }

    static func random(using rng: inout SplitMix64, seconds withSeconds: Bool = false) -> CronModel {
        var model = CronModel()
        var parts: [String] = []
        if withSeconds {
            let (text, values, _) = field(0...59, &rng, starWeight: 3)
            parts.append(text)
            model.seconds = values
        }
        let minute = field(0...59, &rng, starWeight: 3)
        let hour = field(0...23, &rng, starWeight: 3, favour: [1, 2, 3])
        model.minutes = minute.values
        model.hours = hour.values
        model.fixed = !minute.star && !hour.star
        parts += [minute.text, hour.text]

        // Day of month: often *, sometimes with L or nW.
        if Int.random(in: 0..<2, using: &rng) == 0 {
            let day = field(1...31, &rng, starWeight: 1)
            (model.days, model.dayStar) = (day.values, day.star)
            parts.append(day.text)
        } else if Int.random(in: 0..<3, using: &rng) == 0 {
            var items: [String] = []
            if Bool.random(using: &rng) { items.append("L"); model.lastDay = true }
            let n = Int.random(in: 1...31, using: &rng)
            if items.isEmpty || Bool.random(using: &rng) { items.append("\(n)W"); model.nearestWeekdays.append(n) }
            parts.append(items.joined(separator: ","))
        } else {
            let day = field(1...31, &rng, starWeight: 0)
            (model.days, model.dayStar) = (day.values, day.star)
            parts.append(day.text)
        }

        let month = Int.random(in: 0..<3, using: &rng) == 0 ? field(1...12, &rng, starWeight: 0) : (text: "*", values: Set(1...12), star: true)
        model.months = month.values
        parts.append(month.text)

        switch Int.random(in: 0..<6, using: &rng) {
        case 0, 1, 2:
            model.weekdays = Set(0...6)
            model.weekdayStar = true
            parts.append("*")
        case 3:
            let weekday = field(0...7, &rng, starWeight: 1)
            model.weekdays = Set(weekday.values.map { $0 % 7 })
            model.weekdayStar = weekday.star
            parts.append(weekday.text)
        case 4:
            let w = Int.random(in: 0...7, using: &rng)
            let n = Int.random(in: 1...5, using: &rng)
            model.nthWeekdays.append((w % 7, n))
            parts.append("\(w)#\(n)")
        default:
            let w = Int.random(in: 0...7, using: &rng)
            model.lastWeekdays.append(w % 7)
            parts.append("\(w)L")
        }
        model.text = parts.joined(separator: " ")
        return model
    }

    /// One random field: `*`, `*/n`, `a`, `a-b`, `a-b/n`, `a/n` or a list of non-star items.
    private static func field(
        _ range: ClosedRange<Int>, _ rng: inout SplitMix64, starWeight: Int, favour: [Int] = []
    ) -> (text: String, values: Set<Int>, star: Bool) {
        let kind = Int.random(in: 0..<(6 + starWeight), using: &rng)
        func value() -> Int {
            if !favour.isEmpty, Bool.random(using: &rng) { return favour.randomElement(using: &rng)! }
            return Int.random(in: range, using: &rng)
        }
        func step() -> Int { Int.random(in: 1...max(1, min(range.upperBound - range.lowerBound, 20)), using: &rng) }
        func item() -> (String, Set<Int>) {
            switch Int.random(in: 0..<4, using: &rng) {
            case 0:
                let v = value()
                return ("\(v)", [v])
            case 1:
                let a = value(), b = value()
                let (low, high) = (min(a, b), max(a, b))
                return ("\(low)-\(high)", Set(low...high))
            case 2:
                let a = value(), b = value(), n = step()
                let (low, high) = (min(a, b), max(a, b))
                return ("\(low)-\(high)/\(n)", Set(stride(from: low, through: high, by: n)))
            default:
                let a = value(), n = step()
                return ("\(a)/\(n)", Set(stride(from: a, through: range.upperBound, by: n)))
            }
        }
        switch kind {
        case 0..<2:
            let (text, values) = item()
            return (text, values, false)
        case 2..<6:
            var texts: [String] = []
            var values = Set<Int>()
            for _ in 0..<Int.random(in: 2...3, using: &rng) {
                let (text, more) = item()
                texts.append(text)
                values.formUnion(more)
            }
            return (texts.joined(separator: ","), values, false)
        default:
            if Bool.random(using: &rng) { return ("*", Set(range), true) }
            let n = step()
            return ("*/\(n)", Set(stride(from: range.lowerBound, through: range.upperBound, by: n)), true)
        }
    }
}
