import Foundation
@testable import TaskCore
import Testing

/// Random valid expressions checked against a brute-force, minute-by-minute scan that applies the
/// daylight-saving rules with Foundation's own offsets.
@Suite struct CronPropertyTests {
    /// Windows of three days: plain UTC, and around each daylight-saving change of the test zones.
    static let windows: [(zone: String, start: String)] = [
        ("UTC", "2026-02-27T00:00:00Z"),
        ("UTC", "2028-02-28T00:00:00Z"),
        ("America/New_York", "2026-03-07T00:00:00Z"),
        ("America/New_York", "2026-10-31T00:00:00Z"),
        ("Europe/London", "2026-03-28T00:00:00Z"),
        ("Europe/London", "2026-10-24T00:00:00Z"),
        ("Australia/Lord_Howe", "2026-04-03T00:00:00Z"),
        ("Australia/Lord_Howe", "2026-10-02T00:00:00Z"),
    ]

    /// The fire times in `(start, end)` by brute force: every UTC minute, its local wall-clock time,
    /// and Debian's rules (fixed times fire once in a repeated interval and at the change for a
    /// skipped one; wall-clock schedules fire at every matching wall-clock time that exists).
    static func bruteForce(_ model: CronModel, offsets: Offsets, start: Int64, end: Int64) -> [Int64] {
        var seen = Set<Int64>()
        var fires: [Int64] = []
        var dayMatches: [Int64: Bool] = [:]
        func matches(_ local: Int64) -> Bool {
            let day = Int64((Double(local) / 86_400).rounded(.down))
            if dayMatches[day] == nil {
                dayMatches[day] = model.matchesDay(Date(timeIntervalSince1970: Double(day * 86_400)))
            }
            return dayMatches[day]! && model.matches(local: local)
        }
        var instant = (start / 60) * 60 - 6 * 3600
        var previousOffset = offsets[instant - 60]
        while instant < end {
            let offset = offsets[instant]
            let local = instant + offset
            var fire = matches(local) && (!model.fixed || !seen.contains(local))
            if model.fixed, offset > previousOffset {
                for skipped in stride(from: instant - 60 + previousOffset + 60, to: local, by: 60) where matches(skipped) {
                    fire = true
                }
            }
            seen.insert(local)
            if fire, instant > start { fires.append(instant) }
            previousOffset = offset
            instant += 60
        }
        return fires
    }

    /// Foundation's UTC offsets for every minute of a window, looked up once.
    struct Offsets {
        let first: Int64
        let values: [Int64]
        init(zone: TimeZone, from: Int64, to: Int64) {
            first = from
            values = stride(from: from, to: to, by: 60).map { Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double($0)))) }
        }
        subscript(instant: Int64) -> Int64 { values[Int((instant - first) / 60)] }
    }

    @Test(arguments: 0..<windows.count)
    func matchesABruteForceScan(window: Int) throws {
        let (zoneName, startText) = Self.windows[window]
        let zone = try #require(TimeZone(identifier: zoneName))
        let windowStart = try #require(Timestamp.parse(startText))
        var rng = SplitMix64(state: 42 &+ UInt64(window))
        let windowSeconds = Int64(windowStart.timeIntervalSince1970)
        let offsets = Offsets(zone: zone, from: windowSeconds - 7 * 3600, to: windowSeconds + 3 * 86_400)
        var checked = 0
        var total = 0
        while checked < 100 {
            let model = CronModel.random(using: &rng)
            guard let expression = try? CronExpression(model.text) else { continue }
            checked += 1
            // Start somewhere in the first hours, at an odd second.
            let start = Int64(windowStart.timeIntervalSince1970) + Int64.random(in: 0..<(6 * 3600), using: &rng)
            let end = Int64(windowStart.timeIntervalSince1970) + 3 * 86_400
            let expected = Self.bruteForce(model, offsets: offsets, start: start, end: end)
            let actual = expression.fireTimes(after: Date(timeIntervalSince1970: Double(start)), in: zone)
                .lazy.map { Int64($0.timeIntervalSince1970) }.prefix { $0 < end }
            let actualList = Array(actual)
            total += expected.count
            #expect(actualList == expected, "\(model.text) in \(zoneName) after \(start)")
            #expect(zip(actualList, actualList.dropFirst()).allSatisfy { $0 < $1 })
        }
        // The random expressions fire often enough for the comparison to mean something.
        #expect(total > 500, "only \(total) fire times in the window")
    }

    /// Over long spans in UTC: every result matches, results strictly increase, and nothing that
    /// matches lies between two results (checked day by day, then minute by minute on fire days).
    @Test(arguments: 0..<4)
    func longRunsInUTCMatchAndSkipNothing(seed: Int) throws {
        var rng = SplitMix64(state: 1000 &+ UInt64(seed))
        var checked = 0
        while checked < 40 {
            let model = CronModel.random(using: &rng)
            guard let expression = try? CronExpression(model.text) else { continue }
            checked += 1
            var previous = Int64.random(in: 1_700_000_000...1_900_000_000, using: &rng)
            for fire in expression.fireTimes(after: Date(timeIntervalSince1970: Double(previous)), in: .gmt).prefix(30) {
                let current = Int64(fire.timeIntervalSince1970)
                #expect(current > previous)
                #expect(model.matches(local: current), "\(model.text) fired at \(current)")
                // Nothing between: skip days that do not match, scan minutes on the days that do.
                var cursor = (previous / 60 + 1) * 60
                while cursor < current {
                    let midnight = (cursor / 86_400) * 86_400
                    if !model.matchesDay(Date(timeIntervalSince1970: Double(midnight))) {
                        cursor = midnight + 86_400
                        continue
                    }
                    #expect(!model.matches(local: cursor), "\(model.text) skipped \(cursor)")
                    cursor += 60
                }
                previous = current
            }
        }
    }

    /// Six-field expressions against a second-by-second scan over a few hours in UTC.
    @Test(arguments: 0..<4)
    func secondsFieldMatchesASecondBySecondScan(seed: Int) throws {
        var rng = SplitMix64(state: 7000 &+ UInt64(seed))
        var checked = 0
        while checked < 15 {
            var model = CronModel.random(using: &rng, seconds: true)
            model.days = Set(1...31); model.dayStar = true; model.lastDay = false; model.nearestWeekdays = []
            model.months = Set(1...12); model.weekdays = Set(0...6); model.weekdayStar = true
            model.nthWeekdays = []; model.lastWeekdays = []
            let fields = model.text.split(separator: " ").prefix(3).joined(separator: " ")
            model.text = fields + " * * *"
            guard let expression = try? CronExpression(model.text) else { continue }
            checked += 1
            let start = Int64(1_767_225_600 + Int.random(in: 0..<86_400, using: &rng))
            let end = start + 4 * 3600
            let expected = (start + 1..<end).filter { model.matches(local: $0) }
            let actual = Array(expression.fireTimes(after: Date(timeIntervalSince1970: Double(start)), in: .gmt)
                .lazy.map { Int64($0.timeIntervalSince1970) }.prefix { $0 < end })
            #expect(actual == expected, "\(model.text)")
        }
    }
}
