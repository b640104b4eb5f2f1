public import Foundation

/// A job's cron expression together with the time zone it is evaluated in: what stores use to
/// compute `nextRun`.
public struct JobSchedule: Hashable, Sendable {
    public let expression: CronExpression
    public let timeZone: TimeZone

    /// Parses and checks a schedule and a zone.
    /// - Throws: ``TaskCoreError`` with code `invalidCron` (naming the field and value) or
    ///   `invalidArgument` for an unknown time zone.
    public init(schedule: String, timezone: String) throws(TaskCoreError) {
        guard let zone = TimeZone(identifier: timezone), !timezone.isEmpty else {
            throw .invalidArgument("timezone", "timezone: unknown time zone '\(TaskCoreError.excerpt(timezone))', expected an IANA name such as Europe/Berlin")
        }
        do {
            self.expression = try CronExpression(schedule)
        } catch where error.field == nil {
            // A message about the whole expression (field count, length, macro) names it here.
            let shown = TaskCoreError.excerpt(schedule)
            throw TaskCoreError(
                code: error.code, message: "schedule: \(error.message) in '\(shown)'", field: "schedule")
        }
        self.timeZone = zone
    }

    /// The first fire time strictly after `date`, or `nil` if there is none.
    public func nextFire(after date: Date) -> Date? {
        expression.nextFire(after: date, in: timeZone)
    }
}
