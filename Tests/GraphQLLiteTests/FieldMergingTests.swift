import GraphQLLite
import Testing

// The planner keeps one node per response key and records later nodes with the same key apart;
// their sub-selections must still merge, in document order, and errors locate the first node.
@Suite(.timeLimit(.minutes(1))) struct FieldMergingTests {
    @Test func repeatedKeysMergeTheirSubSelectionsInOrder() async throws {
        let response = try await run("""
        { pets { name } hello pets { __typename ... on Dog { barks } } pets { name } }
        """)
        #expect(response.jsonString() == #"{"data":{"pets":[{"name":"Rex","__typename":"Dog","barks":true},{"name":"Tom","__typename":"Cat"}],"hello":"Hello, ada"}}"#)
    }

    @Test func keysMergedThroughFragmentsKeepTheFirstPosition() async throws {
        let response = try await run("""
        { ...Pets pets { name } }
        fragment Pets on Query { pets { ... on Cat { lives } } }
        """)
        #expect(response.jsonString() == #"{"data":{"pets":[{"name":"Rex"},{"lives":9,"name":"Tom"}]}}"#)
    }

    @Test func anErrorOnAMergedFieldLocatesItsFirstNode() async throws {
        let response = try await run("{ hello\n  failing\n  failing }")
        #expect(response.errors.first?.locations.first?.line == 2)
        #expect(response.errors.first?.locations.first?.column == 3)
        #expect(response.errors.count == 1)
    }

    @Test func aliasesOfTheSameFieldStaySeparateKeys() async throws {
        let response = try await run(#"{ a: pet(name: "Rex") { name } b: pet(name: "Tom") { name } a: pet(name: "Rex") { ... on Dog { barks } } }"#)
        #expect(response.jsonString() == #"{"data":{"a":{"name":"Rex","barks":true},"b":{"name":"Tom"}}}"#)
    }
}
