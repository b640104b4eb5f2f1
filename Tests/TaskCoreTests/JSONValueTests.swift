import Foundation
import TaskCore
import Testing

@Suite struct JSONValueTests {
    @Test func literalsBuildTheMatchingCases() {
        let value: JSONValue = ["s": "x", "i": 1, "d": 1.5, "b": true, "n": nil, "a": [1, "two"], "o": ["k": false]]
        #expect(value["s"] == .string("x") && value["i"] == .integer(1) && value["d"] == .double(1.5))
        #expect(value["b"] == .bool(true) && value["n"] == .null && value["a"] == .array([.integer(1), .string("two")]))
        #expect(value["o"]?["k"] == .bool(false))
        #expect(value["missing"] == nil && value[0] == nil)
        #expect(value["a"]?[1] == "two" && value["a"]?[2] == nil && value["a"]?[-1] == nil)
    }

    @Test func accessorsConvertOnlyWhatFits() {
        #expect(JSONValue.integer(3).doubleValue == 3 && JSONValue.double(3).integerValue == 3)
        #expect(JSONValue.double(3.5).integerValue == nil && JSONValue.double(1e300).integerValue == nil)
        #expect(JSONValue.string("a").stringValue == "a" && JSONValue.integer(1).stringValue == nil)
        #expect(JSONValue.bool(true).boolValue == true && JSONValue.null.isNull && !JSONValue.emptyObject.isNull)
        #expect(JSONValue.emptyObject.objectValue == [:] && JSONValue.array([]).arrayValue == [])
    }

    static let roundTrips: [JSONValue] = [
        nil, true, false, 0, -7, .integer(.max), .integer(.min), 1.25, -0.5, "", "héllo \"q\" \n ☃",
        [], [:], [1, [2, [3, ["deep": [nil]]]]], ["a": ["b": ["c": 1.5]], "list": [true, "x", 3]],
    ]

    @Test(arguments: roundTrips)
    func codableRoundTripsExactly(value: JSONValue) throws {
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
    }

    @Test func integersStayIntegersAndFractionsStayDoubles() throws {
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(#"{"i": 1, "d": 1.5, "big": 1e3}"#.utf8))
        #expect(decoded["i"] == .integer(1) && decoded["d"] == .double(1.5))
        #expect(decoded["big"]?.doubleValue == 1000)
        #expect(String(decoding: try JSONEncoder().encode(JSONValue.integer(1)), as: UTF8.self) == "1")
    }
}
