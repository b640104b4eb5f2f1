@testable import GraphQLLite
import Testing

// `NamedTypeModel.field(_:)` scans small types and hashes into large ones; both must agree.
@Suite struct FieldLookupTests {
    @Test(arguments: [1, 8, 9, 40])
    func findsEveryFieldAndNothingElse(count: Int) throws {
        let names = (0..<count).map { "field\($0)" }
        let type = GraphQLObjectType("Wide", fields: names.map { GraphQLField($0, .string) })
        let query = GraphQLObjectType("Query", fields: [GraphQLField("wide", "Wide")])
        let schema = try GraphQLSchema(query: query, types: [type])
        let model = try #require(schema.type(named: "Wide"))
        for name in names { #expect(model.field(name)?.name == name) }
        #expect(model.field("field") == nil)
        #expect(model.field("field\(count)") == nil)
        #expect(model.field("") == nil)
    }
}
