import GraphQLLite
import Testing

@Suite struct JSONTests {
    @Test func roundTripsValues() throws {
        let text = #"{"a":[1,-2,2.5,"x\"\\\n\u0001é😀",true,false,null],"b":{}}"#
        let value = try GraphQLValue(json: text)
        #expect(value["a"]?[3] == "x\"\\\n\u{1}é😀")
        #expect(value.jsonString() == text)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "01", "1.", "\"\\x\"", "\"\u{1}\"", "[1] 2", "\"\\ud800\""])
    func rejectsInvalidJSON(text: String) {
        #expect(throws: GraphQLError.self) { try GraphQLValue(json: text) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: GraphQLError.self) { try GraphQLValue(json: [34, 0xC3, 0x28, 34]) }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: GraphQLError.self) { try GraphQLValue(json: text) }
    }
}
