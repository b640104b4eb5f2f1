import GraphQLLite

extension RichSchema {
    static let styleEnum = GraphQLEnumType("Style", names: ["PLAIN", "SHOUT", "WHISPER"])
    static let breedEnum = GraphQLEnumType("Breed", names: ["LAB", "POODLE", "MUTT"])
    static let kindEnum = GraphQLEnumType("Kind", names: ["PERSON", "DOG", "CAT", "ROBOT"])

    static let rangeInput = GraphQLInputObjectType("Range", fields: [
        GraphQLInputField("from", .int, defaultValue: 0),
        GraphQLInputField("to", .int, defaultValue: 100),
    ])
    static let filterInput = GraphQLInputObjectType("Filter", fields: [
        GraphQLInputField("kinds", .list(.nonNull("Kind"))),
        GraphQLInputField("minAge", .int, defaultValue: 0),
        GraphQLInputField("limit", .int, defaultValue: 10),
        GraphQLInputField("range", "Range"),
    ])
    static let echoInput = GraphQLInputObjectType("EchoInput", fields: [
        GraphQLInputField("text", .nonNull(.string)),
        GraphQLInputField("times", .int, defaultValue: 1),
        GraphQLInputField("style", "Style", defaultValue: "PLAIN"),
        GraphQLInputField("tags", .list(.nonNull(.string)), defaultValue: ["a"]),
        GraphQLInputField("range", "Range"),
        GraphQLInputField("ratio", .float),
    ])

    /// The arguments every `echo` field takes.
    static let echoArguments = [
        GraphQLArgument("input", "EchoInput"),
        GraphQLArgument("style", "Style", defaultValue: "SHOUT"),
        GraphQLArgument("numbers", .list(.int), defaultValue: [1, 2]),
        GraphQLArgument("flag", .boolean),
        GraphQLArgument("id", .id),
        GraphQLArgument("ratio", .float, defaultValue: 0.5),
    ]

    static let nodeInterface = GraphQLInterfaceType("Node", fields: [GraphQLField("id", .nonNull(.id))])
    static let namedInterface = GraphQLInterfaceType("Named", fields: [GraphQLField("name", .nonNull(.string))])
    static let petInterface = GraphQLInterfaceType("Pet", interfaces: ["Node", "Named"], fields: [
        GraphQLField("id", .nonNull(.id)),
        GraphQLField("name", .nonNull(.string)),
        GraphQLField("owner", "Person"),
        GraphQLField("playmates", .nonNull(.list("Pet"))),
    ])
    static let searchResultUnion = GraphQLUnionType("SearchResult", types: ["Person", "Dog", "Cat", "Robot"])

    /// `Person.friends(first:)`: the first `first` friends; a negative `first` is an error.
    static func friends(_ person: GraphQLValue, _ arguments: GraphQLArguments) throws -> GraphQLValue {
        let first = arguments.int("first") ?? 10
        guard first >= 0 else { throw GraphQLError("first must be 0 or more, got \(first)", code: "BAD_REQUEST") }
        let ids = member(person, "friendIds").listValue ?? []
        return .list(ids.prefix(first).map { lookup($0) })
    }

    /// `Person.greeting(style:punctuation:)`.
    static func greeting(_ person: GraphQLValue, _ arguments: GraphQLArguments) -> String {
        let text = "Hello, " + (member(person, "name").stringValue ?? "") + (arguments.string("punctuation") ?? "!")
        switch arguments.string("style") {
        case "SHOUT": return text.uppercased()
        case "WHISPER": return text.lowercased()
        default: return text
        }
    }

    static let personType = GraphQLObjectType("Person", interfaces: ["Node", "Named"], fields: [
        GraphQLField("id", .nonNull(.id)),
        GraphQLField("name", .nonNull(.string)),
        GraphQLField("age", .int),
        GraphQLField("nickname", .string),
        // A non-null field whose resolver returns null for Bob: the null propagates.
        GraphQLField("mustHave", .nonNull(.string)) { (person: GraphQLValue, _, _: Void) in member(person, "nickname") },
        GraphQLField("tags", .list(.nonNull(.string))),
        GraphQLField("grid", .list(.list(.nonNull(.int)))),
        GraphQLField("pets", .nonNull(.list(.nonNull("Pet")))) { (person: GraphQLValue, _, _: Void) async in
            await Task.yield()
            return GraphQLValue.list((member(person, "petIds").listValue ?? []).map { lookup($0) })
        },
        GraphQLField("friends", .nonNull(.list(.nonNull("Person"))), arguments: [GraphQLArgument("first", .int, defaultValue: 10)]) {
            (person: GraphQLValue, arguments: GraphQLArguments, _: Void) async throws in
            await Task.yield()
            return try friends(person, arguments)
        },
        GraphQLField("bestFriend", "Person") { (person: GraphQLValue, _, _: Void) async in
            lookup(member(person, "bestFriendId"))
        },
        GraphQLField(
            "greeting", .nonNull(.string),
            arguments: [GraphQLArgument("style", "Style", defaultValue: "PLAIN"), GraphQLArgument("punctuation", .string, defaultValue: "!")]
        ) { (person: GraphQLValue, arguments: GraphQLArguments, _: Void) async in
            await Task.yield()
            return greeting(person, arguments)
        },
    ])

    static let dogType = GraphQLObjectType("Dog", interfaces: ["Pet", "Node", "Named"], fields: [
        GraphQLField("id", .nonNull(.id)),
        GraphQLField("name", .nonNull(.string)),
        GraphQLField("barkVolume", .int),
        GraphQLField("isGoodBoy", .nonNull(.boolean)),
        GraphQLField("breed", "Breed"),
        GraphQLField("owner", "Person") { (dog: GraphQLValue, _, _: Void) async in
            await Task.yield()
            return lookup(member(dog, "ownerId"))
        },
        GraphQLField("playmates", .nonNull(.list("Pet"))) { (dog: GraphQLValue, _, _: Void) in
            GraphQLValue.list((member(dog, "playmateIds").listValue ?? []).map { lookup($0) })
        },
    ])

    static let catType = GraphQLObjectType("Cat", interfaces: ["Pet", "Node", "Named"], fields: [
        GraphQLField("id", .nonNull(.id)),
        GraphQLField("name", .nonNull(.string)),
        GraphQLField("lives", .nonNull(.int)),
        GraphQLField("owner", "Person") { (cat: GraphQLValue, _, _: Void) in lookup(member(cat, "ownerId")) },
        GraphQLField("playmates", .nonNull(.list("Pet"))) { (cat: GraphQLValue, _, _: Void) async in
            GraphQLValue.list((member(cat, "playmateIds").listValue ?? []).map { lookup($0) })
        },
    ])

    static let robotType = GraphQLObjectType("Robot", interfaces: ["Node"], fields: [
        GraphQLField("id", .nonNull(.id)),
        GraphQLField("model", .nonNull(.string)),
        GraphQLField("serial", .float),
    ])

    /// `chain { a { b { value nullValue } } }`: `nullValue` is null for a `String!`, which nulls
    /// `b`, then `a` (both non-null), then `chain`.
    static let chainType = GraphQLObjectType("Chain", fields: [
        GraphQLField("label", .string) { (_: GraphQLValue, _, _: Void) in "chain" },
        GraphQLField("a", .nonNull("ChainA")) { (_: GraphQLValue, _, _: Void) in GraphQLValue.object(["n": 1]) },
    ])
    static let chainAType = GraphQLObjectType("ChainA", fields: [
        GraphQLField("n", .nonNull(.int)),
        GraphQLField("b", .nonNull("ChainB")) { (_: GraphQLValue, _, _: Void) async in
            await Task.yield()
            return GraphQLValue.object(["value": "deep"])
        },
    ])
    static let chainBType = GraphQLObjectType("ChainB", fields: [
        GraphQLField("value", .nonNull(.string)),
        GraphQLField("nullValue", .nonNull(.string)) { (_: GraphQLValue, _, _: Void) async in GraphQLValue.null },
        GraphQLField("maybe", .string) { (_: GraphQLValue, _, _: Void) in GraphQLValue.null },
        GraphQLField("boom", .string) { (_: GraphQLValue, _, _: Void) throws -> GraphQLValue in
            throw GraphQLError("boom", code: "INTERNAL_SERVER_ERROR")
        },
    ])
}
