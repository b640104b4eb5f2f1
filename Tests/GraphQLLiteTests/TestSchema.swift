import GraphQLLite

/// A small schema for execution tests: sync and async resolvers, errors with codes, enums,
/// input objects with defaults, interfaces and unions.
struct TestContext: Sendable {
    let user: String
}

struct Pet: Sendable {
    let name: String
    let kind: String
    let barks: Bool
}

struct NotFound: Error, GraphQLErrorConvertible {
    let id: String
    var graphQLError: GraphQLError { GraphQLError("Pet \(id) not found", code: "NOT_FOUND") }
}

enum Mood: String, Sendable, Hashable {
    case happy, grumpy
}

func makeTestSchema() throws -> GraphQLSchema {
    let pets = [Pet(name: "Rex", kind: "Dog", barks: true), Pet(name: "Tom", kind: "Cat", barks: false)]
    let namedInterface = GraphQLInterfaceType("Named", fields: [GraphQLField("name", .nonNull(.string))]) { value in
        (value as? Pet)?.kind
    }
    let dog = GraphQLObjectType("Dog", interfaces: ["Named"], fields: [
        GraphQLField("name", .nonNull(.string)) { (pet: Pet, _, _: TestContext) in pet.name },
        GraphQLField("barks", .nonNull(.boolean)) { (pet: Pet, _, _: TestContext) in pet.barks },
    ])
    let cat = GraphQLObjectType("Cat", interfaces: ["Named"], fields: [
        GraphQLField("name", .nonNull(.string)) { (pet: Pet, _, _: TestContext) in pet.name },
        GraphQLField("lives", .int) { (_: Pet, _, _: TestContext) in 9 },
    ])
    let petUnion = GraphQLUnionType("PetUnion", types: ["Dog", "Cat"]) { ($0 as? Pet)?.kind }
    let mood = GraphQLEnumType("Mood", values: [
        GraphQLEnumValue("HAPPY", value: Mood.happy, description: "Content."),
        GraphQLEnumValue("GRUMPY", value: Mood.grumpy, deprecationReason: "Be happy."),
    ])
    let input = GraphQLInputObjectType("EchoInput", fields: [
        GraphQLInputField("text", .nonNull(.string)),
        GraphQLInputField("times", .int, defaultValue: 1),
        GraphQLInputField("mood", "Mood", defaultValue: "HAPPY"),
        GraphQLInputField("extra", "JSON", defaultValue: [:]),
    ])
    let query = GraphQLObjectType("Query", fields: [
        GraphQLField("hello", .nonNull(.string)) { (_, context: TestContext) in "Hello, \(context.user)" },
        GraphQLField("slowHello", .nonNull(.string)) { (_, context: TestContext) async throws in
            await Task.yield()
            return "Slow hello, \(context.user)"
        },
        GraphQLField("pets", .nonNull(.list(.nonNull("Named")))) { (_, _: TestContext) in pets },
        GraphQLField("petUnions", .list("PetUnion")) { (_, _: TestContext) in pets },
        GraphQLField("pet", "Named", arguments: [GraphQLArgument("name", .nonNull(.string))]) { (args, _: TestContext) throws -> Pet? in
            let name = args.string("name") ?? ""
            guard let pet = pets.first(where: { $0.name == name }) else { throw NotFound(id: name) }
            return pet
        },
        GraphQLField("echo", .nonNull("JSON"), arguments: [GraphQLArgument("input", .nonNull("EchoInput"))]) { (args, _: TestContext) in
            args["input"] ?? .null
        },
        GraphQLField("json", "JSON", arguments: [GraphQLArgument("value", "JSON")]) { (args, _: TestContext) in args["value"] ?? .null },
        GraphQLField("mood", .nonNull("Mood"), arguments: [GraphQLArgument("mood", "Mood", defaultValue: "GRUMPY")]) { (args, _: TestContext) in
            args.string("mood") == "HAPPY" ? Mood.happy : Mood.grumpy
        },
        GraphQLField("failing", .string) { (_, _: TestContext) throws -> String? in
            throw GraphQLError("Service down", code: "SERVICE_UNAVAILABLE")
        },
        GraphQLField("failingNonNull", .nonNull(.string)) { (_, _: TestContext) async throws -> String in
            throw GraphQLError("Boom", code: "BAD_REQUEST")
        },
        GraphQLField("nullNonNull", .nonNull(.string)) { (_, _: TestContext) -> String? in nil },
        GraphQLField("list", .list(.nonNull(.int))) { (_, _: TestContext) -> [Int?] in [1, nil, 3] },
        GraphQLField("nullableItems", .list(.int)) { (_, _: TestContext) -> [Int?] in [1, nil, 3] },
        GraphQLField("bigInt", .int) { (_, _: TestContext) in 1 << 40 },
        GraphQLField("sum", .nonNull(.int), arguments: [GraphQLArgument("values", .nonNull(.list(.nonNull(.int))))]) { (args, _: TestContext) in
            (args.list("values") ?? []).compactMap(\.intValue).reduce(0, +)
        },
        GraphQLField("old", .string, deprecationReason: "Use hello.") { (_, _: TestContext) in "old" },
        GraphQLField("when", .nonNull("DateTime"), arguments: [GraphQLArgument("at", "DateTime")]) { (args, _: TestContext) in
            args.string("at") ?? "2026-11-29T02:00:00Z"
        },
    ])
    let mutation = GraphQLObjectType("Mutation", fields: [
        GraphQLField("append", .nonNull(.string), arguments: [GraphQLArgument("value", .nonNull(.string))]) { (args, context: TestContext) async throws in
            await Task.yield()
            return context.user + ":" + (args.string("value") ?? "")
        },
    ])
    return try GraphQLSchema(
        query: query, mutation: mutation,
        types: [namedInterface, dog, cat, petUnion, mood, input, GraphQLScalarType.json, GraphQLScalarType.dateTime]
    )
}

/// Runs a query against the test schema and returns the response JSON.
func run(_ query: String, variables: GraphQLObject = GraphQLObject(), operationName: String? = nil) async throws -> GraphQLResponse {
    let engine = GraphQLEngine(schema: try makeTestSchema())
    return await engine.execute(query, variables: variables, operationName: operationName, context: TestContext(user: "ada"))
}
