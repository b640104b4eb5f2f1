import Foundation
@testable import TaskCore
import Testing

@Suite struct CronNextFireTests {
    @Test(arguments: CronCase.table)
    func firesAtTheExpectedTimes(_ row: CronCase) throws {
        let expression = try CronExpression(row.expression)
        let zone = try #require(TimeZone(identifier: row.zone))
        let start = try #require(Timestamp.parse(row.start))
        let fires = expression.fireTimes(after: start, in: zone).prefix(row.expected.count).map(Timestamp.format)
        #expect(fires == row.expected)
        // nextFire agrees with the sequence, one step at a time.
        var cursor = start
        for expected in row.expected {
            let next = try #require(expression.nextFire(after: cursor, in: zone))
            #expect(Timestamp.format(next) == expected)
            cursor = next
        }
    }

    @Test func tableHasAtLeast150Cases() {
        #expect(CronCase.table.count >= 150)
    }

    /// The DST cases above rely on these transitions; check them against Foundation's zone data.
    @Test(arguments: [
        ("America/New_York", "2026-01-01T00:00:00Z", "2026-03-08T07:00:00.000Z", -18_000, -14_400),
        ("America/New_York", "2026-06-01T00:00:00Z", "2026-11-01T06:00:00.000Z", -14_400, -18_000),
        ("America/New_York", "2027-01-01T00:00:00Z", "2027-03-14T07:00:00.000Z", -18_000, -14_400),
        ("Europe/London", "2026-01-01T00:00:00Z", "2026-03-29T01:00:00.000Z", 0, 3600),
        ("Europe/London", "2026-06-01T00:00:00Z", "2026-10-25T01:00:00.000Z", 3600, 0),
        ("Australia/Lord_Howe", "2026-01-01T00:00:00Z", "2026-04-04T15:00:00.000Z", 39_600, 37_800),
        ("Australia/Lord_Howe", "2026-06-01T00:00:00Z", "2026-10-03T15:30:00.000Z", 37_800, 39_600),
    ])
    func daylightSavingTransitionsAreWhereTheTableAssumes(
        zoneName: String, after: String, transition: String, before: Int, afterwards: Int
    ) throws {
        let zone = try #require(TimeZone(identifier: zoneName))
        let afterDate = try #require(Timestamp.parse(after))
        let next = try #require(zone.nextDaylightSavingTimeTransition(after: afterDate))
        #expect(Timestamp.format(next) == transition)
        #expect(zone.secondsFromGMT(for: next.addingTimeInterval(-1)) == before)
        #expect(zone.secondsFromGMT(for: next) == afterwards)
        // The cached offset table agrees with Foundation at the transition.
        let rules = CronZoneRules.rules(for: zone)
        let instant = Int64(next.timeIntervalSince1970)
        #expect(rules.offsets[rules.period(containing: instant)] == Int64(afterwards))
        #expect(rules.offsets[rules.period(containing: instant - 1)] == Int64(before))
    }

    @Test func offsetTableCoversCenturies() throws {
        let rules = CronZoneRules.rules(for: try #require(TimeZone(identifier: "America/New_York")))
        // Two changes a year from 1918 on (with gaps), up to 2500.
        #expect(rules.transitions.count > 900)
        #expect(try #require(rules.transitions.last) > 16_500_000_000)
        #expect(zip(rules.transitions, rules.transitions.dropFirst()).allSatisfy { $0 < $1 })
        #expect(CronZoneRules.rules(for: .gmt).transitions.isEmpty)
        #expect(CronZoneRules.rules(for: try #require(TimeZone(identifier: "Asia/Kolkata"))).offsets.last == 19_800)
    }

    @Test func nextFireIsStrictlyAfterAFractionalStart() throws {
        let expression = try CronExpression("* * * * * *")
        let start = try #require(Timestamp.parse("2026-01-01T00:00:00.500Z"))
        let next = try #require(expression.nextFire(after: start, in: .gmt))
        #expect(Timestamp.format(next) == "2026-01-01T00:00:01.000Z")
        let minutely = try CronExpression("* * * * *")
        #expect(minutely.nextFire(after: start, in: .gmt).map(Timestamp.format) == "2026-01-01T00:01:00.000Z")
    }

    @Test func nonFiniteAndAbsurdStartsGiveNil() throws {
        let expression = try CronExpression("* * * * *")
        #expect(expression.nextFire(after: Date(timeIntervalSince1970: .infinity), in: .gmt) == nil)
        #expect(expression.nextFire(after: Date(timeIntervalSince1970: .nan), in: .gmt) == nil)
        #expect(expression.nextFire(after: Date(timeIntervalSince1970: 1e15), in: .gmt) == nil)
    }

    @Test func worksFarFromTheEpoch() throws {
        let expression = try CronExpression("0 0 29 2 *")
        let before1970 = try #require(Timestamp.parse("1899-03-01T00:00:00Z"))
        #expect(expression.nextFire(after: before1970, in: .gmt).map(Timestamp.format) == "1904-02-29T00:00:00.000Z")
        let far = try #require(Timestamp.parse("9999-03-01T00:00:00Z"))
        #expect(expression.nextFire(after: far, in: .gmt).map(Timestamp.format) == "+010000-02-29T00:00:00.000Z")
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        #expect(expression.nextFire(after: far, in: newYork) != nil)
    }

    @Test func wallClockScheduleOnlyInsideSkippedHoursNeverFires() throws {
        // 02:xx on the second Sunday of March: always inside New York's skipped hour since 2007.
        let expression = try CronExpression("* 2 * 3 SUN#2")
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        let start = try #require(Timestamp.parse("2026-01-01T00:00:00Z"))
        #expect(expression.nextFire(after: start, in: newYork) == nil)
        // The same at a fixed time runs right after the change each year.
        let fixed = try CronExpression("30 2 * 3 SUN#2")
        #expect(fixed.nextFire(after: start, in: newYork).map(Timestamp.format) == "2026-03-08T07:00:00.000Z")
    }

    @Test func aSkippedDayFollowsTheSameRules() throws {
        // Samoa skipped 30 December 2011 (UTC-10 to UTC+14 at 10:00Z): the fixed noon of the
        // missing day runs at the change, the hourly schedule simply continues on the wall clock.
        let apia = try #require(TimeZone(identifier: "Pacific/Apia"))
        let start = try #require(Timestamp.parse("2011-12-29T00:00:00Z"))
        let noon = try CronExpression("0 12 * * *").fireTimes(after: start, in: apia).prefix(3).map(Timestamp.format)
        #expect(noon == ["2011-12-29T22:00:00.000Z", "2011-12-30T10:00:00.000Z", "2011-12-30T22:00:00.000Z"])
        let hourly = try CronExpression("0 * * * *").fireTimes(
            after: try #require(Timestamp.parse("2011-12-30T08:30:00Z")), in: apia
        ).prefix(3).map(Timestamp.format)
        #expect(hourly == ["2011-12-30T09:00:00.000Z", "2011-12-30T10:00:00.000Z", "2011-12-30T11:00:00.000Z"])
    }

    @Test func fixedOffsetZonesWork() throws {
        let zone = try #require(TimeZone(secondsFromGMT: 5 * 3600 + 45 * 60))
        let start = try #require(Timestamp.parse("2026-01-01T00:00:00Z"))
        let next = try CronExpression("0 9 * * *").nextFire(after: start, in: zone)
        #expect(next.map(Timestamp.format) == "2026-01-01T03:15:00.000Z")
    }

    @Test func fireTimesIsLazyAndIncreasing() throws {
        let expression = try CronExpression("*/7 * * * *")
        let start = try #require(Timestamp.parse("2026-01-01T00:00:00Z"))
        let fires = Array(expression.fireTimes(after: start, in: .gmt).prefix(20))
        #expect(fires.count == 20)
        #expect(zip(fires, fires.dropFirst()).allSatisfy { $0 < $1 })
        #expect(Timestamp.format(fires[9]) == "2026-01-01T01:07:00.000Z")
    }

    @Test func jobScheduleUsesTheZone() throws {
        let schedule = try JobSchedule(schedule: "0 9 * * MON-FRI", timezone: "Europe/Berlin")
        let start = try #require(Timestamp.parse("2026-07-01T00:00:00Z"))
        #expect(schedule.nextFire(after: start).map(Timestamp.format) == "2026-07-01T07:00:00.000Z")
    }
}
