import GraphQLLite
import Testing

private struct Context: Sendable { let prefix: String }
private struct Item: Sendable { let id: String; let note: String? }

@Suite struct APIShapeTests {
    @Test func schemaDefinitionCompilesWithSyncAndAsyncResolvers() throws {
        let item = GraphQLObjectType("Item", fields: [
            GraphQLField("id", .nonNull(.id)) { (item: Item, _, _: Context) in item.id },
            GraphQLField("note", .string) { (item: Item, _, _: Context) in item.note },
            GraphQLField("slow", .string) { (item: Item, _, _: Context) async throws in item.id },
        ])
        let query = GraphQLObjectType("Query", fields: [
            GraphQLField("item", "Item", arguments: [GraphQLArgument("id", .nonNull(.id))]) { (args, context: Context) in
                Item(id: context.prefix + (args.string("id") ?? ""), note: nil)
            },
            GraphQLField("items", .nonNull(.list(.nonNull("Item")))) { (_, _: Context) async throws in [Item(id: "1", note: "n")] },
        ])
        let schema = try GraphQLSchema(query: query, types: [item])
        _ = GraphQLEngine(schema: schema)
    }

    @Test func swiftTaskStillCompilesForImporters() async {
        let value = await Task { 1 }.value
        #expect(value == 1)
    }
}
