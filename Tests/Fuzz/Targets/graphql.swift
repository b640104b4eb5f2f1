// libFuzzer target: the GraphQL lexer, parser and validator (compiled into GraphQLLite's sources by
// scripts/fuzz.sh), against a small schema with objects, an interface, a union, an enum, an input object,
// arguments, lists and non-null types.
private let schema: GraphQLSchema = {
    let named = GraphQLInterfaceType("Named", fields: [GraphQLField("name", .nonNull(.string))]) { _ in "Dog" }
    let dog = GraphQLObjectType("Dog", interfaces: ["Named"], fields: [
        GraphQLField("name", .nonNull(.string)),
        GraphQLField("barks", .boolean),
        GraphQLField("friends", .list(.nonNull("Named")), arguments: [GraphQLArgument("first", .int, defaultValue: 10)]),
    ])
    let cat = GraphQLObjectType("Cat", interfaces: ["Named"], fields: [GraphQLField("name", .nonNull(.string)), GraphQLField("lives", .int)])
    let pet = GraphQLUnionType("Pet", types: ["Dog", "Cat"]) { _ in "Cat" }
    let mood = GraphQLEnumType("Mood", values: [GraphQLEnumValue("HAPPY"), GraphQLEnumValue("GRUMPY")])
    let input = GraphQLInputObjectType("Filter", fields: [
        GraphQLInputField("mood", "Mood", defaultValue: "HAPPY"),
        GraphQLInputField("names", .list(.nonNull(.string))),
        GraphQLInputField("limit", .nonNull(.int)),
    ])
    let query = GraphQLObjectType("Query", fields: [
        GraphQLField("pets", .nonNull(.list(.nonNull("Pet"))), arguments: [GraphQLArgument("filter", "Filter")]),
        GraphQLField("dog", "Dog", arguments: [GraphQLArgument("id", .nonNull(.id))]),
        GraphQLField("mood", .nonNull("Mood"), arguments: [GraphQLArgument("mood", "Mood")]),
        GraphQLField("named", "Named"),
    ])
    let mutation = GraphQLObjectType("Mutation", fields: [
        GraphQLField("rename", "Dog", arguments: [GraphQLArgument("id", .nonNull(.id)), GraphQLArgument("name", .nonNull(.string))]),
    ])
    return try! GraphQLSchema(query: query, mutation: mutation, types: [named, dog, cat, pet, mood, input])
}()

private let limits = GraphQLLimits(maxTokens: 4_000, maxDepth: 32, maxFields: 1_000, maxAliases: 100, maxDocumentBytes: 64 * 1024)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGraphQL(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let document = try? GraphQLDocument(utf8: bytes, limits: limits) else { return 0 }
    let errors = schema.validate(document, limits: limits)
    for error in errors { precondition(!error.message.isEmpty) }
    return 0
}
