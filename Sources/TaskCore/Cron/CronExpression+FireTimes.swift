public import Foundation

extension CronExpression {
    /// The fire times after `date` in `zone`, lazily, in increasing order.
    ///
    /// ```swift
    /// for fire in expression.fireTimes(after: .now, in: zone).prefix(5) { print(fire) }
    /// ```
    ///
    /// - Parameters:
    ///   - date: The instant to start after; the first element is strictly later.
    ///   - zone: The time zone whose wall clock the expression describes.
    /// - Returns: A sequence whose elements are successive results of ``nextFire(after:in:)``; it
    ///   ends only if the expression stops firing.
    public func fireTimes(after date: Date, in zone: TimeZone) -> FireTimes {
        FireTimes(expression: self, rules: CronZoneRules.rules(for: zone), start: date)
    }

    /// A lazy sequence of an expression's fire times; see ``CronExpression/fireTimes(after:in:)``.
    public struct FireTimes: Sequence, IteratorProtocol, Sendable {
        let expression: CronExpression
        let rules: CronZoneRules
        var current: Date?

        init(expression: CronExpression, rules: CronZoneRules, start: Date) {
            self.expression = expression
            self.rules = rules
            self.current = start
        }

        /// The next fire time, or `nil` when the expression fires no more.
        public mutating func next() -> Date? {
            guard let after = current else { return nil }
            current = expression.nextFire(after: after, rules: rules)
            return current
        }
    }
}
