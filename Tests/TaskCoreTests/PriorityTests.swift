import Foundation
import TaskCore
import Testing

@Suite struct PriorityTests {
    @Test(arguments: [0, 21, -1, 1000])
    func outOfRangeValuesAreRejected(value: Int) {
        #expect(Priority(rawValue: value) == nil)
        let error = #expect(throws: TaskCoreError.self) { try Priority(validating: value) }
        #expect(error?.code == .invalidArgument && error?.field == "priority")
        #expect(error?.message == "priority: \(value) is out of range 1-20")
        let parsed = #expect(throws: TaskCoreError.self) { try Priority(parsing: String(value)) }
        #expect(parsed?.message == "priority: \(value) is out of range 1-20")
    }

    @Test func theBoundsAreAccepted() throws {
        #expect(try Priority(validating: 1) == .low)
        #expect(try Priority(validating: 20) == .critical)
        #expect(Priority.normal.rawValue == 5 && Priority.high.rawValue == 10)
    }

    @Test(arguments: [("low", 1), ("LOW", 1), ("Normal", 5), ("high", 10), ("cRiTiCaL", 20), ("7", 7), ("20", 20)])
    func namesAndNumbersParse(text: String, value: Int) throws {
        #expect(try Priority(parsing: text).rawValue == value)
    }

    @Test(arguments: ["urgent", "", " high", "5.0", "medium"])
    func otherTextIsRejected(text: String) {
        let error = #expect(throws: TaskCoreError.self) { try Priority(parsing: text) }
        #expect(error?.code == .invalidArgument && error?.field == "priority")
        #expect(error?.message.contains("LOW, NORMAL, HIGH, CRITICAL") == true)
    }

    @Test(arguments: [(1, "LOW"), (4, "LOW"), (5, "NORMAL"), (7, "NORMAL"), (9, "NORMAL"), (10, "HIGH"),
                      (19, "HIGH"), (20, "CRITICAL")])
    func levelNameIsTheHighestLevelAtOrBelow(value: Int, name: String) {
        #expect(Priority(rawValue: value)!.levelName == name)
    }

    @Test func higherIsGreater() {
        #expect(Priority.low < .normal && Priority.high < .critical)
    }

    @Test func codableAcceptsNumbersAndNamesAndWritesNumbers() throws {
        let decoded = try JSONDecoder().decode([Priority].self, from: Data(#"[7, "high", "LOW"]"#.utf8))
        #expect(decoded.map(\.rawValue) == [7, 10, 1])
        #expect(String(decoding: try JSONEncoder().encode([Priority.high]), as: UTF8.self) == "[10]")
        #expect(throws: (any Error).self) { try JSONDecoder().decode([Priority].self, from: Data("[0]".utf8)) }
        #expect(throws: (any Error).self) { try JSONDecoder().decode([Priority].self, from: Data(#"["x"]"#.utf8)) }
    }
}
