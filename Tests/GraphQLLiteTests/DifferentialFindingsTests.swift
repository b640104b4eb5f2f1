import GraphQLLite
import Testing

private struct Context: Sendable {}

/// One finding of the differential test against graphql-core (Docs/GRAPHQL_DIFFERENTIAL.md): a
/// document and the errors graphql-core 3.2 reports for it (message with `"` quotes, locations).
struct DifferentialFinding: Sendable, CustomTestStringConvertible {
    let finding: String
    let query: String
    let errors: [String]
    var testDescription: String { "\(finding): \(query)" }
}

/// Each case is a difference the differential test found, fixed in GraphQLLite; the expected
/// errors are what graphql-core (graphql-js 16) reports for the same schema and document.
@Suite struct DifferentialFindingsTests {
    /// `type Query { text(tags: [String!], id: ID, flag: Boolean): String!  named: Named  node: Node }`
    /// with `interface Node { id: ID! }`, `interface Named { name: String! }`,
    /// `type Person implements Node & Named { id: ID! name: String! }`, `type Robot implements Node { id: ID! model: String! }`.
    static let engine: GraphQLEngine = {
        let node = GraphQLInterfaceType("Node", fields: [GraphQLField("id", .nonNull(.id))])
        let named = GraphQLInterfaceType("Named", fields: [GraphQLField("name", .nonNull(.string))])
        let person = GraphQLObjectType("Person", interfaces: ["Node", "Named"], fields: [
            GraphQLField("id", .nonNull(.id)), GraphQLField("name", .nonNull(.string)),
        ])
        let robot = GraphQLObjectType("Robot", interfaces: ["Node"], fields: [
            GraphQLField("id", .nonNull(.id)), GraphQLField("model", .nonNull(.string)),
        ])
        let query = GraphQLObjectType("Query", fields: [
            GraphQLField(
                "text", .nonNull(.string),
                arguments: [GraphQLArgument("tags", .list(.nonNull(.string))), GraphQLArgument("id", .id), GraphQLArgument("flag", .boolean)]
            ) { (args: GraphQLArguments, _: Context) in
                args.contains("tags") ? (args["tags"] ?? .null).jsonString() : "-"
            },
            GraphQLField("named", "Named") { (_: GraphQLArguments, _: Context) in GraphQLValue.null },
            GraphQLField("node", "Node") { (_: GraphQLArguments, _: Context) in GraphQLValue.null },
        ])
        do {
            return GraphQLEngine(schema: try GraphQLSchema(query: query, types: [node, named, person, robot]))
        } catch {
            fatalError("\(error)")
        }
    }()

    static let conflict = "conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional."

    static let cases: [DifferentialFinding] = [
        DifferentialFinding(finding: "KnownTypeNames looks inside list and non-null wrappers", query: "query ($v: [Striing!]!) { text(tags: $v) }",
                            errors: [#"Unknown type "Striing". Did you mean "String"? @1:13"#]),
        DifferentialFinding(finding: "null fits a nullable list", query: "{ text(tags: null) }", errors: []),
        DifferentialFinding(finding: "a built-in scalar's own message for a list", query: "{ text(id: [null]) }",
                            errors: ["ID cannot represent a non-string and non-integer value: [null] @1:12"]),
        DifferentialFinding(finding: "a built-in scalar's own message for an object", query: "{ text(flag: {a: 1}) }",
                            errors: ["Boolean cannot represent a non boolean value: {a: 1} @1:14"]),
        DifferentialFinding(finding: "duplicate variables located at their names", query: "query ($a: String, $a: String) { text(tags: [$a]) }",
                            errors: [#"There can be only one variable named "$a". @1:9 @1:21"#,
                                     #"Variable "$a" of type "String" used in position expecting type "String!". @1:20 @1:46"#]),
        DifferentialFinding(finding: "duplicate fragments located at their names", query: "{ ...F } fragment F on Query { text } fragment F on Query { text }",
                            errors: [#"There can be only one fragment named "F". @1:19 @1:48"#]),
        DifferentialFinding(finding: "duplicate operations located at their names", query: "query A { text } query A { text }",
                            errors: [#"There can be only one operation named "A". @1:7 @1:24"#]),
        DifferentialFinding(finding: "unknown fragments located at the name", query: "{ ... Nope }", errors: [#"Unknown fragment "Nope". @1:7"#]),
        DifferentialFinding(finding: "every use of an undefined variable", query: "query Q { a: text(tags: [$x]) b: text(tags: [$x]) }",
                            errors: [#"Variable "$x" is not defined by operation "Q". @1:26 @1:1"#,
                                     #"Variable "$x" is not defined by operation "Q". @1:46 @1:1"#]),
        DifferentialFinding(finding: "each copy of a conflicting field", query: "{ text text text(flag: true) }",
                            errors: [#"Fields "text" \#(conflict) @1:3 @1:13"#, #"Fields "text" \#(conflict) @1:8 @1:13"#]),
        DifferentialFinding(finding: "own fields before a fragment's in a conflict", query: "{ ...F text(flag: true) } fragment F on Query { text }",
                            errors: [#"Fields "text" \#(conflict) @1:8 @1:49"#]),
        DifferentialFinding(
            finding: "a fragment is not compared with itself where it is spread on both sides",
            query: "{ node { ...N } node { ...N } } fragment N on Node { id id: __typename }",
            errors: [#"Fields "id" conflict because "id" and "__typename" are different fields. Use different aliases on the fields to fetch both if this was intentional. @1:54 @1:57"#]),
        DifferentialFinding(finding: "inline fragment suggestions on abstract types", query: "{ named { id } }",
                            errors: [#"Cannot query field "id" on type "Named". Did you mean to use an inline fragment on "Node" or "Person"? @1:11"#]),
        DifferentialFinding(finding: "a transposition is one edit", query: "{ ... on NNode { __typename } }",
                            errors: [#"Unknown type "NNode". Did you mean "Node" or "Named"? @1:10"#]),
        DifferentialFinding(
            finding: "the last fragment of a duplicated name is the one used",
            query: "query ($v: String) { ...F } fragment F on Query { a: text(tags: [$v]) } fragment F on Query { text }",
            errors: [#"Variable "$v" is never used. @1:8"#, #"There can be only one fragment named "F". @1:38 @1:82"#]),
        DifferentialFinding(
            finding: "fragment cycles from each definition itself", query: "{ text } fragment C on Query { ...C } fragment C on Query { ...C }",
            errors: [#"Cannot spread fragment "C" within itself. @1:32"#, #"There can be only one fragment named "C". @1:19 @1:48"#,
                     #"Fragment "C" is never used. @1:10"#, #"Fragment "C" is never used. @1:39"#]),
        DifferentialFinding(finding: "no Float in a schema that uses none", query: "query ($x: Float) { text(id: $x) }",
                            errors: [#"Unknown type "Float". @1:12"#]),
        DifferentialFinding(finding: "two fragments' conflict is reported once, in the order first found (also where an inline fragment spreads both)",
                            query: #"{ ...F1 ... on Query { ...F2 ...F0 } } fragment F1 on Query { ...F0 } fragment F2 on Query { text(id: "b") } fragment F0 on Query { text(id: "a") }"#,
                            errors: [#"Fields "text" \#(conflict) @1:133 @1:94"#]),
        // The 100,000-document run (seed 42), rich schema.
        DifferentialFinding(finding: "a default is not checked against a variable type that is not an input type",
                            query: #"query ($v: Node = "x", $w: Person = {id: 1}) { text }"#,
                            errors: [#"Variable "$v" cannot be non-input type "Node". @1:12"#, #"Variable "$w" cannot be non-input type "Person". @1:28"#,
                                     #"Variable "$v" is never used. @1:8"#, #"Variable "$w" is never used. @1:24"#]),
        DifferentialFinding(
            finding: "a fragment's field against the fragment it spreads, and the two fragments spread together: both ways round",
            query: #"{ ...B ...A } fragment A on Query { ...B text(id: "a") } fragment B on Query { text(id: "b") }"#,
            errors: [#"Fields "text" \#(conflict) @1:80 @1:42"#, #"Fields "text" \#(conflict) @1:42 @1:80"#]),
        DifferentialFinding(
            finding: "every conflicting subfield pair in one message", query: "{ node { id: __typename } node { id id } }",
            errors: [#"Fields "node" conflict because subfields "id" conflict because "__typename" and "id" are different fields and subfields "id" conflict because "__typename" and "id" are different fields. Use different aliases on the fields to fetch both if this was intentional. @1:3 @1:10 @1:10 @1:27 @1:34 @1:37"#]),
        // The overlap rule used to expand fragments afresh for every pair of fields it compared, so a
        // fragment cycle below two fields of one key recursed without end: a stack overflow that
        // ended the process (found by the overlap style of the differential test).
        DifferentialFinding(
            finding: "a fragment cycle below a repeated field ends", query: "{ ...F } fragment F on Query { node { ...G } node { ...F } } fragment G on Query { ...F }",
            errors: [#"Cannot spread fragment "F" within itself. @1:53"#, #"Cannot spread fragment "F" within itself via "G". @1:39 @1:84"#,
                     #"Fragment "G" cannot be spread here as objects of type "Node" can never be of type "Query". @1:39"#,
                     #"Fragment "F" cannot be spread here as objects of type "Node" can never be of type "Query". @1:53"#]),
        // graphql-js's rule looks definitions up in the type's own fields, so a meta-field has no
        // return type there and is not compared by type (the spec's SameResponseShape would be).
        DifferentialFinding(finding: "meta-fields are not compared by type under exclusive parents",
                            query: "{ node { ... on Person { id: __typename } ... on Robot { id } } }", errors: []),
    ]

    /// "message @line:column @line:column", sorted: graphql-js's order of rules is not what is compared.
    static func describe(_ errors: [GraphQLError]) -> [String] {
        errors.map { error in ([error.message] + error.locations.map { "@\($0.line):\($0.column)" }).joined(separator: " ") }.sorted()
    }

    @Test(arguments: cases)
    func matchesGraphQLCore(_ finding: DifferentialFinding) throws {
        let document = try Self.engine.parse(finding.query)
        #expect(Self.describe(Self.engine.validate(document)) == finding.errors.sorted())
    }

    @Test func nullForANullableListArgumentExecutes() async {
        let response = await Self.engine.execute("{ text(tags: null) }", context: Context())
        #expect(response.errors.isEmpty)
        #expect(response.data == .object(["text": "null"]))
    }

    @Test func everyBadVariableIsReported() async {
        let response = await Self.engine.execute(
            "query ($a: ID!, $b: ID!) { x: text(id: $a) y: text(id: $b) }", context: Context())
        #expect(response.failure == .request)
        #expect(response.errors.map(\.message) == [
            #"Variable "$a" of required type "ID!" was not provided."#, #"Variable "$b" of required type "ID!" was not provided."#,
        ])
    }

    @Test func introspectionListsOnlyTheScalarsInUse() async {
        let response = await Self.engine.execute("{ __schema { types { name } } float: __type(name: \"Float\") { name } }", context: Context())
        let names = response.data?["__schema"]?["types"]?.listValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(names.contains("ID") && names.contains("String") && names.contains("Boolean"))
        #expect(!names.contains("Float") && !names.contains("Int"))
        #expect(response.data?["float"] == .null)
    }
}
