import Foundation
import GraphQLLite
import Testing

/// Hostile JSON in and out of the engine (issue 12): objects of many keys cost linear time, and a
/// response too large to send is not written whole.
@Suite(.timeLimit(.minutes(1)))
struct JSONCostTests {
    @Test func anObjectOfManyKeysParsesInLinearTime() throws {
        // 100,000 keys (1.4 MB): a scan per key took about 5 × 10^9 comparisons, minutes.
        let members = (0..<100_000).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
        let start = ContinuousClock.now
        let value = try GraphQLValue(json: "{\(members)}")
        #expect(ContinuousClock.now - start < .seconds(20))
        guard case .object(let object) = value else {
            Issue.record("not an object: \(value)")
            return
        }
        #expect(object.count == 100_000)
        #expect(object.keys.first == "k0" && object.keys.last == "k99999" && object["k5000"] == .int(5000))
    }

    @Test(arguments: [3, 40]) func aRepeatedKeyKeepsItsPlaceAndTakesTheLastValue(members: Int) throws {
        let others = (0..<members).map { #""m\#($0)":0"# }.joined(separator: ",")
        let value = try GraphQLValue(json: #"{"a":1,\#(others),"b":2,"a":3,"b":4}"#)
        guard case .object(let object) = value else {
            Issue.record("not an object: \(value)")
            return
        }
        #expect(object.count == members + 2)
        #expect(object.keys.first == "a" && object.keys.last == "b")
        #expect(object["a"] == .int(3) && object["b"] == .int(4))
    }

    @Test func writingStopsAtTheByteLimit() {
        let big = String(repeating: "x", count: 1 << 20)
        var data = GraphQLObject()
        for index in 0..<40 { data["a\(index)"] = .string(big) }
        let response = GraphQLResponse(data: .object(data), errors: [])
        #expect(response.jsonBytes(limit: 4 << 20) == nil)
        #expect(response.jsonBytes(limit: 41 << 20) == response.jsonBytes())
        let small = GraphQLResponse(data: ["hello": "world"], errors: [])
        #expect(small.jsonBytes(limit: 100).map { String(decoding: $0, as: UTF8.self) } == #"{"data":{"hello":"world"}}"#)
        #expect(small.jsonBytes(limit: 10) == nil)
    }
}
