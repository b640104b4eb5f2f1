import Foundation
import TaskCore
import Testing

/// One row of the next-fire table: an expression, a zone, a start instant and the fire times that follow.
struct CronCase: Sendable, CustomTestStringConvertible {
    let expression: String
    let zone: String
    let start: String
    let expected: [String]

    init(_ expression: String, _ zone: String, _ start: String, _ expected: [String]) {
        self.expression = expression
        self.zone = zone
        self.start = start
        self.expected = expected
    }

    var testDescription: String { "'\(expression)' in \(zone) after \(start)" }
}
