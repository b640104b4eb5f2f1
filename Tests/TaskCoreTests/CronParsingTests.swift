import Foundation
@testable import TaskCore
import Testing

@Suite struct CronParsingTests {
    /// Accepted expressions and their normalised description.
    @Test(arguments: [
        ("*/15 9-17 * * MON-FRI", "*/15 9-17 * * MON-FRI"),
        ("*/15  9-17\t*  * mon-fri", "*/15 9-17 * * MON-FRI"),
        ("  0 0 * * *  ", "0 0 * * *"),
        ("0 0 1 jan,Jul *", "0 0 1 JAN,JUL *"),
        ("30 0 12 * * Mon", "30 0 12 * * MON"),
        ("0 0 l * *", "0 0 L * *"),
        ("0 0 15w * *", "0 0 15W * *"),
        ("0 0 * * fri#3", "0 0 * * FRI#3"),
        ("0 0 * * 5l", "0 0 * * 5L"),
        ("@daily", "@daily"),
        ("@YEARLY", "@yearly"),
        ("  @Hourly ", "@hourly"),
        ("0-59/1 00-23 01-31 1-12 0-7", "0-59/1 00-23 01-31 1-12 0-7"),
    ])
    func acceptsAndNormalises(text: String, description: String) throws {
        let expression = try CronExpression(text)
        #expect(expression.description == description)
    }

    /// Every rejection names the field, the value and what is allowed.
    @Test(arguments: [
        // Out of range.
        ("0 25 * * *", "hour: 25 is out of range 0-23", "hour"),
        ("60 * * * *", "minute: 60 is out of range 0-59", "minute"),
        ("0 0 0 * *", "day-of-month: 0 is out of range 1-31", "day-of-month"),
        ("0 0 32 * *", "day-of-month: 32 is out of range 1-31", "day-of-month"),
        ("0 0 * 13 *", "month: 13 is out of range 1-12", "month"),
        ("0 0 * 0 *", "month: 0 is out of range 1-12", "month"),
        ("0 0 * * 8", "day-of-week: 8 is out of range 0-7", "day-of-week"),
        ("60 * * * * *", "second: 60 is out of range 0-59", "second"),
        ("99999999999999 * * * *", "minute: 99999999999999 is out of range 0-59", "minute"),
        ("0 0-24 * * *", "hour: 24 is out of range 0-23", "hour"),
        ("0 0 32W * *", "day-of-month: 32 is out of range 1-31", "day-of-month"),
        // Reversed ranges.
        ("0 5-1 * * *", "hour: range 5-1 is reversed; the start must not exceed the end", "hour"),
        ("0 0 * * FRI-MON", "day-of-week: range FRI-MON is reversed; the start must not exceed the end", "day-of-week"),
        ("0 0 * DEC-JAN *", "month: range DEC-JAN is reversed; the start must not exceed the end", "month"),
        // Steps.
        ("*/0 * * * *", "minute: step 0 is not allowed", "minute"),
        ("0 1-5/0 * * *", "hour: step 0 is not allowed", "hour"),
        ("*/60 * * * *", "minute: step 60 is out of range 1-59", "minute"),
        ("0 */24 * * *", "hour: step 24 is out of range 1-23", "hour"),
        ("0 0 */31 * *", "day-of-month: step 31 is out of range 1-30", "day-of-month"),
        ("0 0 * */12 *", "month: step 12 is out of range 1-11", "month"),
        ("0 0 * * */8", "day-of-week: step 8 is out of range 1-7", "day-of-week"),
        ("*/99999999999 * * * *", "minute: step 99999999999 is out of range 1-59", "minute"),
        ("*/x * * * *", "minute: step 'x' is not a number", "minute"),
        ("*/ * * * *", "minute: step '' is not a number", "minute"),
        ("1/2/3 * * * *", "minute: '1/2/3' has more than one step", "minute"),
        // Empty items and stray commas.
        ("1,,2 * * * *", "minute: empty list item in '1,,2'", "minute"),
        ("1,2, * * * *", "minute: empty list item in '1,2,'", "minute"),
        (",1 * * * *", "minute: empty list item in ',1'", "minute"),
        (", * * * *", "minute: empty list item in ','", "minute"),
        ("0 0 1,,15 * *", "day-of-month: empty list item in '1,,15'", "day-of-month"),
        ("1- * * * *", "minute: incomplete range '1-'", "minute"),
        ("-1 * * * *", "minute: incomplete range '-1'", "minute"),
        // Not numbers: letters, other digits, punctuation.
        ("x * * * *", "minute: 'x' is not a number (allowed: 0-59)", "minute"),
        ("\u{0663} * * * *", "minute: '\u{0663}' is not a number (allowed: 0-59)", "minute"),
        ("0 \u{0661}\u{0662} * * *", "hour: '\u{0661}\u{0662}' is not a number (allowed: 0-23)", "hour"),
        ("0 0 * * \u{FF15}", "day-of-week: '\u{FF15}' is not a number or name (allowed: 0-7 or SUN-SAT)", "day-of-week"),
        ("1.5 * * * *", "minute: '1.5' is not a number (allowed: 0-59)", "minute"),
        ("+1 * * * *", "minute: '+1' is not a number (allowed: 0-59)", "minute"),
        ("0 0 * * *L", "day-of-week: '*L' is not a number or name (allowed: 0-7 or SUN-SAT)", "day-of-week"),
        // Unknown names.
        ("0 0 * * FUNDAY", "day-of-week: unknown name 'FUNDAY'", "day-of-week"),
        ("0 0 * * MONDAY", "day-of-week: unknown name 'MONDAY'", "day-of-week"),
        ("0 0 * * JAN", "day-of-week: unknown name 'JAN'", "day-of-week"),
        ("0 0 * MON *", "month: unknown name 'MON'", "month"),
        ("0 0 * Janvier *", "month: unknown name 'Janvier'", "month"),
        ("0 0 * * SAL", "day-of-week: unknown name 'SAL'", "day-of-week"),
        // Extensions in the wrong shape.
        ("0 0 * * L", "day-of-week: 'L' needs a weekday before it, e.g. 5L for the last Friday", "day-of-week"),
        ("0 0 1-5W * *", "day-of-month: '1-5W' needs a single day before W, e.g. 15W", "day-of-month"),
        ("0 0 W * *", "day-of-month: 'W' is not a number (allowed: 1-31)", "day-of-month"),
        ("0 0 * * 5#0", "day-of-week: occurrence 0 in '5#0' is out of range 1-5", "day-of-week"),
        ("0 0 * * 5#6", "day-of-week: occurrence 6 in '5#6' is out of range 1-5", "day-of-week"),
        ("0 0 * * 5#x", "day-of-week: '5#x' needs an occurrence 1-5 after #, e.g. 5#3", "day-of-week"),
        ("0 0 * * 8#1", "day-of-week: 8 is out of range 0-7", "day-of-week"),
        ("0 L * * *", "hour: 'L' is not a number (allowed: 0-23)", "hour"),
        ("0 0 * * 5W", "day-of-week: '5W' is not a number or name (allowed: 0-7 or SUN-SAT)", "day-of-week"),
        // Expressions that can never fire.
        ("0 0 30 2 *", "day-of-month: 30 never occurs in February", "day-of-month"),
        ("0 0 31 4 *", "day-of-month: 31 never occurs in April", "day-of-month"),
        ("0 0 31 4,6,9,11 *", "day-of-month: 31 never occurs in April, June, September or November", "day-of-month"),
        ("0 0 30-31 FEB *", "day-of-month: 30-31 never occurs in February", "day-of-month"),
        ("0 0 30W 2 *", "day-of-month: 30W never occurs in February", "day-of-month"),
        ("0 0 0 31 2 *", "day-of-month: 31 never occurs in February", "day-of-month"),
    ])
    func rejectsWithASpecificMessage(text: String, message: String, field: String) {
        let error = #expect(throws: TaskCoreError.self) { try CronExpression(text) }
        #expect(error?.code == .invalidCron)
        #expect(error?.message == message)
        #expect(error?.field == field)
    }

    /// Whole-expression problems: field count, macros, length.
    @Test(arguments: [
        ("", "expected 5 or 6 fields, found 0"),
        ("   \t ", "expected 5 or 6 fields, found 0"),
        ("* * * *", "expected 5 or 6 fields, found 4"),
        ("*", "expected 5 or 6 fields, found 1"),
        ("1 2 3 4 5 6 7", "expected 5 or 6 fields, found 7"),
        ("0 0 * * * * * * * *", "expected 5 or 6 fields, found 10"),
        ("0\n0 * * *", "expected 5 or 6 fields, found 4"),
        ("@fortnightly", "unknown macro '@fortnightly'; expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly"),
        ("@", "unknown macro '@'; expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly"),
        ("@reboot", "@reboot is not supported: it names no time to fire at"),
        ("@daily 5", "macro @daily stands alone, found extra text '5'"),
        ("@hourly * * * * *", "macro @hourly stands alone, found extra text '*'"),
    ])
    func rejectsTheWholeExpression(text: String, message: String) {
        let error = #expect(throws: TaskCoreError.self) { try CronExpression(text) }
        #expect(error?.code == .invalidCron)
        #expect(error?.message == message)
        #expect(error?.field == nil)
    }

    @Test func rejectsAbsurdlyLongInputWithoutParsingIt() {
        let long = String(repeating: "1,", count: 5000) + "1 * * * *"
        let error = #expect(throws: TaskCoreError.self) { try CronExpression(long) }
        #expect(error?.message == "expression is \(long.utf8.count) bytes long; at most 1024 bytes are allowed")
        // Exactly at the cap still parses.
        let padded = "0 0 * * *" + String(repeating: " ", count: 1024 - 9)
        #expect(throws: Never.self) { try CronExpression(padded) }
        #expect(throws: TaskCoreError.self) { try CronExpression(padded + " ") }
    }

    @Test func survivesHostileInput() {
        let hostile = [
            String(decoding: [0xFF, 0xFE, 0x20, 0xC3, 0x28, 0x20, 0x2A, 0x20, 0x2A, 0x20, 0x2A], as: UTF8.self),
            String(repeating: "(", count: 1000),
            "0 0 \u{0} * *",
            "0 0 * * \u{1F600}",
            String(repeating: "-", count: 1000),
            String(repeating: "/", count: 5) + " * * * *",
            String(repeating: "#", count: 3) + " * * * *",
            "0 0 * * 1#" + String(repeating: "9", count: 50),
            "0 0 " + String(repeating: "9", count: 60) + "W * *",
        ]
        for text in hostile {
            let error = #expect(throws: TaskCoreError.self) { try CronExpression(text) }
            #expect(error?.code == .invalidCron)
            #expect((error?.message.utf8.count ?? 0) < 300)
        }
    }

    @Test func controlCharactersAreEscapedInMessages() {
        let error = #expect(throws: TaskCoreError.self) { try CronExpression("0 0 \u{1B}[31m * *") }
        #expect(error?.message == "day-of-month: '\\u{1B}[31m' is not a number (allowed: 1-31)")
    }

    @Test(arguments: [
        ("0 0 * * 7", "0 0 * * 0"),
        ("0 0 * * SUN", "0 0 * * 0"),
        ("0 0 * * sun", "0 0 * * 7"),
        ("0 0 * * 1-5", "0 0 * * MON-FRI"),
        ("0 0 1 1 *", "@yearly"),
        ("0 0 1 1 *", "@annually"),
        ("0 0 1 * *", "@monthly"),
        ("0 0 * * 0", "@weekly"),
        ("0 0 * * *", "@daily"),
        ("0 0 * * *", "@midnight"),
        ("0 * * * *", "@hourly"),
        ("0 0 0 * * *", "0 0 * * *"),
        ("5/20 * * * *", "5,25,45 * * * *"),
        ("0 3/8 * * *", "0 3-23/8 * * *"),
        ("*/7 * * * *", "0,7,14,21,28,35,42,49,56 * * * *"),
    ])
    func equivalentSpellingsMatchTheSameTimes(first: String, second: String) throws {
        let a = try CronExpression(first)
        let b = try CronExpression(second)
        #expect(a.secondMask == b.secondMask && a.minuteMask == b.minuteMask && a.hourMask == b.hourMask)
        #expect(a.dayMask == b.dayMask && a.monthMask == b.monthMask && a.weekdayMask == b.weekdayMask)
        #expect(a.isFixedTime == b.isFixedTime)
    }

    @Test(arguments: [
        ("0 0 * * *", true), ("30 2 * * *", true), ("0-59 2 * * *", true), ("0,30 1-3 * * *", true),
        ("*/15 2 * * *", false), ("0 * * * *", false), ("0 */2 * * *", false), ("* * * * *", false),
        ("@hourly", false), ("@daily", true), ("* 30 2 * * *", true),
    ])
    func fixedTimeMeansMinuteAndHourDoNotStartWithAStar(text: String, fixed: Bool) throws {
        #expect(try CronExpression(text).isFixedTime == fixed)
    }

    @Test func dayFieldStartingWithAStarIsUnrestricted() throws {
        let expression = try CronExpression("0 0 */2 * 1")
        #expect(expression.dayOfMonthStar && !expression.dayOfWeekStar)
        let both = try CronExpression("0 0 1 * 1")
        #expect(!both.dayOfMonthStar && !both.dayOfWeekStar)
    }
}
