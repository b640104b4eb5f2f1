import Foundation
import TaskCore
import Testing

@Suite struct JobScheduleTests {
    @Test(arguments: [
        ("* * * *", "schedule: expected 5 or 6 fields, found 4 in '* * * *'"),
        ("abc", "schedule: expected 5 or 6 fields, found 1 in 'abc'"),
    ])
    func wholeExpressionErrorsNameTheScheduleAndItsValue(schedule: String, message: String) {
        let error = #expect(throws: TaskCoreError.self) { try JobSchedule(schedule: schedule, timezone: "UTC") }
        #expect(error?.code == .invalidCron)
        #expect(error?.field == "schedule")
        #expect(error?.message == message)
    }

    @Test func fieldErrorsKeepTheCronParsersWording() {
        let error = #expect(throws: TaskCoreError.self) { try JobSchedule(schedule: "0 25 * * *", timezone: "UTC") }
        #expect(error?.message == "hour: 25 is out of range 0-23")
        #expect(error?.field == "hour")
    }

    @Test func unknownZonesAreRefusedByName() {
        let error = #expect(throws: TaskCoreError.self) { try JobSchedule(schedule: "0 0 * * *", timezone: "Mars/Olympus") }
        #expect(error?.field == "timezone")
        #expect(error?.message.contains("'Mars/Olympus'") == true)
    }

    @Test func nextFireIsInTheJobsZone() throws {
        let schedule = try JobSchedule(schedule: "0 9 * * *", timezone: "Europe/Berlin")
        let start = try #require(Timestamp.parse("2026-07-01T00:00:00.000Z"))
        #expect(schedule.nextFire(after: start) == Timestamp.parse("2026-07-01T07:00:00.000Z"))
    }
}
