public import Foundation

// PLACEHOLDER: the cron issue (#3) replaces this file with the real parser and calculator.
// It keeps the public interface the stores and the scheduler use:
//   try CronExpression("*/15 9-17 * * MON-FRI")
//   expression.nextFire(after: date, in: zone) -> Date?
//   expression.description (normalised)

/// A parsed cron expression.
public struct CronExpression: Hashable, Sendable, CustomStringConvertible {
    private let fields: [Set<Int>]
    public let description: String

    /// Parses a five-field expression (placeholder: numbers, `*`, `*/n`, `a-b` and lists only).
    /// - Throws: ``TaskCoreError`` with code `invalidCron`.
    public init(_ text: String) throws(TaskCoreError) {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count == 5 else {
            throw TaskCoreError(code: .invalidCron, message: "expected 5 or 6 fields, found \(parts.count)")
        }
        let ranges = [0...59, 0...23, 1...31, 1...12, 0...7]
        var fields: [Set<Int>] = []
        for (part, range) in zip(parts, ranges) {
            var set = Set<Int>()
            for item in part.split(separator: ",", omittingEmptySubsequences: false) {
                let stepSplit = item.split(separator: "/", omittingEmptySubsequences: false)
                let step = stepSplit.count == 2 ? Int(stepSplit[1]) ?? 0 : 1
                var low = range.lowerBound
                var high = range.upperBound
                if stepSplit[0] != "*" {
                    let bounds = stepSplit[0].split(separator: "-").map { Int($0) }
                    guard let first = bounds.first ?? nil, let last = bounds.last ?? nil else {
                        throw TaskCoreError(code: .invalidCron, message: "invalid field '\(part)'")
                    }
                    low = first
                    high = bounds.count == 1 && stepSplit.count == 1 ? first : last
                }
                guard step > 0, range.contains(low), range.contains(high), low <= high else {
                    throw TaskCoreError(code: .invalidCron, message: "invalid field '\(part)'")
                }
                set.formUnion(stride(from: low, through: high, by: step))
            }
            fields.append(set)
        }
        if fields[4].contains(7) { fields[4].insert(0) }
        self.fields = fields
        self.description = parts.joined(separator: " ")
    }

    /// The first fire time strictly after `date` in `zone` (placeholder: a minute-by-minute scan).
    public func nextFire(after date: Date, in zone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var candidate = Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60)
        for _ in 0..<(60 * 24 * 366 * 5) {
            let c = calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: candidate)
            if fields[0].contains(c.minute!), fields[1].contains(c.hour!), fields[2].contains(c.day!),
                fields[3].contains(c.month!), fields[4].contains(c.weekday! - 1)
            {
                return candidate
            }
            candidate += 60
        }
        return nil
    }
}
