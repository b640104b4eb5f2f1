import Foundation
import TaskCore

/// `worker-demo cron EXPR [--tz ZONE] [--from ISO8601] [--count N]`: prints the next N fire times
/// (default 5), one ISO 8601 UTC instant per line. Bad input prints the reason on stderr; exit 2.
func runCronCommand(_ arguments: [String]) -> Int32 {
    let usage = "usage: worker-demo cron EXPR [--tz ZONE] [--from ISO8601] [--count N]"
    func fail(_ message: String) -> Int32 {
        FileHandle.standardError.write(Data("cron: \(message)\n".utf8))
        return 2
    }
    var expressionText: String?
    var zoneName = "UTC"
    var from = Date()
    var count = 5
    var index = 0
    while index < arguments.count {
        let argument = arguments[index]
        index += 1
        if argument == "--help" || argument == "-h" {
            print(usage)
            return 0
        }
        guard argument.hasPrefix("--") else {
            guard expressionText == nil else { return fail("unexpected argument '\(argument)'; quote EXPR as one argument\n\(usage)") }
            expressionText = argument
            continue
        }
        var name = argument
        var value: String?
        if let equals = argument.firstIndex(of: "=") {
            name = String(argument[..<equals])
            value = String(argument[argument.index(after: equals)...])
        }
        guard ["--tz", "--from", "--count"].contains(name) else { return fail("unknown option '\(name)'\n\(usage)") }
        if value == nil {
            guard index < arguments.count else { return fail("\(name) needs a value\n\(usage)") }
            value = arguments[index]
            index += 1
        }
        let text = value ?? ""
        switch name {
        case "--tz":
            zoneName = text
        case "--from":
            guard let date = Timestamp.parse(text) else {
                return fail("--from: '\(text)' is not an ISO 8601 instant such as 2026-03-08T00:00:00Z")
            }
            from = date
        default:
            guard let number = Int(text), (1...100_000).contains(number) else {
                return fail("--count: '\(text)' is not a whole number in 1-100000")
            }
            count = number
        }
    }
    guard let expressionText else { return fail("missing EXPR\n\(usage)") }
    let schedule: JobSchedule
    do {
        schedule = try JobSchedule(schedule: expressionText, timezone: zoneName)
    } catch {
        return fail(error.message)
    }
    var output = ""
    for fire in schedule.expression.fireTimes(after: from, in: schedule.timeZone).prefix(count) {
        output += Timestamp.format(fire) + "\n"
    }
    FileHandle.standardOutput.write(Data(output.utf8))
    return 0
}
