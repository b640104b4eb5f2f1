import Foundation
import TaskCore
import Testing
import WorkerAPI

@Suite struct RESTJSONReaderTests {
    @Test(arguments: [
        (#"{"a":[1,-2,3.5,1e3,true,false,null,"x"]}"#, JSONValue.object(["a": [1, -2, 3.5, 1000.0, true, false, nil, "x"]])),
        (#" "\u00e9\ud83d\ude00\n\"\\\/" "#, JSONValue.string("é😀\n\"\\/")),
        ("9223372036854775807", JSONValue.integer(.max)),
        ("-9223372036854775808", JSONValue.integer(.min)),
        ("9223372036854775808.0", JSONValue.double(9223372036854775808)),
        ("-0", JSONValue.integer(0)),
        ("[]", JSONValue.array([])),
        (#""héllo""#, JSONValue.string("héllo")),
    ])
    func parsesValidDocuments(text: String, expected: JSONValue) throws {
        #expect(try JSONReader().parse(text) == expected)
    }

    @Test(arguments: [
        ("", "the body is empty"),
        ("{", "unexpected end of input"),
        ("[1,]", "unexpected character ']'"),
        ("01", "leading zeros"),
        ("1.", "after a decimal point"),
        ("NaN", "unexpected character 'N'"),
        ("tru", "invalid literal, expected 'true'"),
        (#"{"a" 1}"#, "where ':' was expected"),
        (#"{"a":1 "b":2}"#, "where ',' or '}' was expected"),
        ("\"a\tb\"", "unescaped control character 0x9"),
        (#""\ud800""#, "unpaired surrogate"),
        (#""\udc00x""#, "unpaired surrogate"),
        (#""\x""#, "after a backslash"),
        (#""\u12g4""#, "in a \u{5c}u escape"),
        ("\"abc", "unterminated string"),
        ("1 2", "after the JSON value"),
        (#"{"a":1,"a":2}"#, "duplicate key 'a'"),
        ("1e999", "out of range"),
        // Issue 12, W6: a whole number beyond Int64 would lose digits as a double; underflow is not 0.
        ("9223372036854775808", "send it as a string"),
        ("1e-400", "too small"),
        (String(repeating: "1", count: 1001), "longer than 1000 characters"),
    ])
    func rejectsMalformedDocuments(text: String, fragment: String) {
        let error = #expect(throws: TaskCoreError.self) { try JSONReader().parse(text) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.hasPrefix("Malformed JSON: ") == true)
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "")")
    }

    @Test(arguments: [[0xFF], [0x22, 0xC0, 0x80, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22]] as [[UInt8]])
    func rejectsInvalidUTF8(bytes: [UInt8]) {
        #expect(throws: TaskCoreError.self) { try JSONReader().parse(bytes) }
    }

    @Test func survivesHostileNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = #expect(throws: TaskCoreError.self) { try JSONReader().parse(deep) }
        #expect(error?.message.contains("nesting deeper than 64 levels") == true)
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONReader().parse(ok) }
        let objects = String(repeating: #"{"a":"#, count: 65) + "1" + String(repeating: "}", count: 65)
        #expect(throws: TaskCoreError.self) { try JSONReader().parse(objects) }
    }

    @Test func errorsCarryLineAndColumn() {
        let error = #expect(throws: TaskCoreError.self) { try JSONReader().parse("{\n  \"a\": tru\n}") }
        #expect(error?.message.contains("at line 2, column 8") == true, "\(error?.message ?? "")")
    }
}

@Suite struct RESTJSONWriterTests {
    @Test func escapesStringsAndSortsKeys() throws {
        var writer = JSONWriter()
        writer.value(["b": "q\"\\\n\u{1}é", "a": [1, -20, 2.5, .null, false], "c": .double(.nan)])
        let text = String(decoding: writer.bytes, as: UTF8.self)
        #expect(text == #"{"a":[1,-20,2.5,null,false],"b":"q\"\\\n\u0001é","c":null}"#)
    }

    @Test(arguments: [Int64.min, -1, 0, 7, 10, 99, 1_000_000, Int64.max])
    func integersRoundTrip(value: Int64) throws {
        var writer = JSONWriter()
        writer.integer(value)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == String(value))
    }

    @Test(arguments: [0.0, 1_795_917_600.123, 1_795_917_600.9999, -1.5, 253_402_300_799.999])
    func timestampsMatchTaskCoreFormat(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        var writer = JSONWriter()
        writer.timestamp(date)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "\"\(Timestamp.format(date))\"")
    }

    @Test func taskJSONMatchesTheCodableForm() throws {
        let now = Date(timeIntervalSince1970: 1_795_917_600.5)
        let task = TaskRecord(
            id: 12, type: "email", payload: ["to": "a@b.c", "n": [1, 2]], priority: .high, status: .failed, attempts: 3,
            result: ["ok": false], error: "boom \"x\"", progress: 40, uniqueKey: "k", jobId: 3, runAt: now, createdAt: now,
            updatedAt: now, startedAt: now, completedAt: now)
        var writer = JSONWriter()
        writer.task(task)
        let ours = try JSONReader().parse(writer.bytes)
        let foundation = try JSONReader().parse(Array(try JSONEncoder().encode(task)))
        #expect(ours == foundation)
        let job = ScheduledJob(
            id: 2, name: "n", type: "t", schedule: "0 0 * * *", lastRun: now, nextRun: nil, lastTaskId: 5, runCount: 4,
            createdAt: now, updatedAt: now)
        var jobWriter = JSONWriter()
        jobWriter.job(job)
        #expect(try JSONReader().parse(jobWriter.bytes) == JSONReader().parse(Array(try JSONEncoder().encode(job))))
    }
}
