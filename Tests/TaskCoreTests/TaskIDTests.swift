import Foundation
import TaskCore
import Testing

@Suite struct TaskIDTests {
    @Test(arguments: [("1", Int64(1)), ("42", 42), ("0", 0), ("9223372036854775807", Int64.max)])
    func decimalDigitsParse(text: String, value: Int64) {
        #expect(TaskID(text)?.rawValue == value)
        #expect(JobID(text)?.rawValue == value)
    }

    @Test(arguments: ["-1", "1a", "", "12345678901234567890", "9223372036854775808", " 1", "1 ", "+1", "0x1", "١", "1.0", "007", "01", "00"])
    func anythingElseIsRejected(text: String) {
        // Leading zeros too (issue 12, W5): each id has exactly one spelling, so `/api/tasks/01` is a 404.
        #expect(TaskID(text) == nil)
        #expect(JobID(text) == nil)
    }

    @Test func idsAreWrittenAsStringsAndReadFromBoth() throws {
        #expect(String(decoding: try JSONEncoder().encode([TaskID(12)]), as: UTF8.self) == #"["12"]"#)
        #expect(String(decoding: try JSONEncoder().encode([JobID(3)]), as: UTF8.self) == #"["3"]"#)
        let decoded = try JSONDecoder().decode([TaskID].self, from: Data(#"["5", 6]"#.utf8))
        #expect(decoded == [5, 6])
        #expect(TaskID(9).description == "9")
    }

    @Test func idsOrderNumerically() {
        #expect(TaskID(2) < TaskID(10))
        #expect([JobID(10), JobID(2)].sorted() == [2, 10])
    }
}
