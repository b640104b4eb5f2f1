import GraphQLLite
import Testing

private struct Context: Sendable {}

/// Findings of the differential test once the gateway schema had a `Subscription` type, `ID`
/// arguments and a `DateTime` inside an input object, and of its long runs
/// (Docs/GRAPHQL_DIFFERENTIAL.md), all fixed in GraphQLLite: each
/// expectation is what graphql-core 3.2.14 (graphql-js 16) reports, with `"` quotes (and graphql-js's
/// `null` where graphql-core prints Python's `None`).
@Suite struct DifferentialFindingsSubscriptionTests {
    /// `interface Event { at: String }`, `enum Kind { ALPHA BETA }`,
    /// `input Filter { after: String!, tags: [Int!], kind: Kind }`,
    /// `type Query { text(id: ID, input: Filter, inputs: [Filter!]): String! }`,
    /// `type Subscription implements Event { at: String a: String b: String }`.
    static let engine: GraphQLEngine = {
        let event = GraphQLInterfaceType("Event", fields: [GraphQLField("at", .string)])
        let kind = GraphQLEnumType("Kind", names: ["ALPHA", "BETA"])
        let filter = GraphQLInputObjectType("Filter", fields: [
            GraphQLInputField("after", .nonNull(.string)), GraphQLInputField("tags", .list(.nonNull(.int))),
            GraphQLInputField("kind", "Kind"),
        ])
        let query = GraphQLObjectType("Query", fields: [
            GraphQLField(
                "text", .nonNull(.string),
                arguments: [GraphQLArgument("id", .id), GraphQLArgument("input", "Filter"), GraphQLArgument("inputs", .list(.nonNull("Filter")))]
            ) {
                (args: GraphQLArguments, _: Context) in args.string("id") ?? "-"
            },
        ])
        let subscription = GraphQLObjectType("Subscription", interfaces: ["Event"], fields: [
            GraphQLField("at", .string) { (_: GraphQLArguments, _: Context) in GraphQLValue.null },
            GraphQLField("a", .string) { (_: GraphQLArguments, _: Context) in GraphQLValue.null },
            GraphQLField("b", .string) { (_: GraphQLArguments, _: Context) in GraphQLValue.null },
        ])
        do {
            return GraphQLEngine(schema: try GraphQLSchema(query: query, subscription: subscription, types: [event, kind, filter]))
        } catch {
            fatalError("\(error)")
        }
    }()

    static let onlyOne = "Anonymous Subscription must select only one top level field."

    static let cases: [DifferentialFinding] = [
        DifferentialFinding(finding: "@skip(if: true) leaves a root field out", query: "subscription { a b @skip(if: true) }", errors: []),
        DifferentialFinding(finding: "@include(if: false) leaves a root field out", query: "subscription { a @include(if: false) b }", errors: []),
        DifferentialFinding(finding: "a variable condition keeps the field (the rule sees no variable values)",
                            query: "subscription ($v: Boolean!) { a b @skip(if: $v) }", errors: ["\(onlyOne) @1:33"]),
        DifferentialFinding(finding: "extra fields are listed group by group (by response key)",
                            query: "subscription { x: a y: b z: a y: b }", errors: ["\(onlyOne) @1:21 @1:31 @1:26"]),
        DifferentialFinding(finding: "one introspection error per response key, at each of its fields",
                            query: "subscription { __typename __typename }",
                            errors: ["Anonymous Subscription must not select an introspection top level field. @1:16 @1:27"]),
        DifferentialFinding(finding: "a fragment on another type is not entered", query: "subscription { a ... on Query { text } }",
                            errors: [#"Fragment cannot be spread here as objects of type "Subscription" can never be of type "Query". @1:18"#]),
        DifferentialFinding(finding: "a fragment on an interface of the subscription type is entered",
                            query: "subscription { a ...F } fragment F on Event { at }", errors: ["\(onlyOne) @1:47"]),
        DifferentialFinding(finding: "a fragment on an unknown type is not entered", query: "subscription { a ... on Nope { at } }",
                            errors: [#"Unknown type "Nope". @1:25"#]),
        DifferentialFinding(finding: "a variable in a list literal at a non-list position has the position's type",
                            query: #"query ($v: Int) { text(input: {after: "a", kind: [ALPHA, $v]}) }"#,
                            errors: [#"Enum "Kind" cannot represent non-enum value: [ALPHA, $v]. @1:50"#,
                                     #"Variable "$v" of type "Int" used in position expecting type "Kind". @1:8 @1:58"#]),
        DifferentialFinding(finding: "an object literal at a list position has the fields of the item type",
                            query: "query ($v: Int) { text(inputs: {after: $v}) }",
                            errors: [#"Variable "$v" of type "Int" used in position expecting type "String!". @1:8 @1:40"#]),
        DifferentialFinding(finding: "arguments of directives on variable definitions are checked",
                            query: "query ($v: ID @include(if: 1)) { text(id: $v) }",
                            errors: ["Boolean cannot represent a non boolean value: 1 @1:28",
                                     #"Directive "@include" may not be used on VARIABLE_DEFINITION. @1:15"#]),
        DifferentialFinding(finding: "argument names and required arguments of directives on variable definitions",
                            query: "query ($v: ID @skip(iff: true)) { text(id: $v) }",
                            errors: [#"Directive "@skip" argument "if" of type "Boolean!" is required, but it was not provided. @1:15"#,
                                     #"Directive "@skip" may not be used on VARIABLE_DEFINITION. @1:15"#,
                                     #"Unknown argument "iff" on directive "@skip". Did you mean "if"? @1:21"#]),
        DifferentialFinding(finding: "an ID literal may be any integer", query: "{ big: text(id: -3000000000) huge: text(id: 12345678901234567890) }",
                            errors: []),
    ]

    @Test(arguments: cases)
    func matchesGraphQLCore(_ finding: DifferentialFinding) throws {
        let document = try Self.engine.parse(finding.query)
        #expect(DifferentialFindingsTests.describe(Self.engine.validate(document)) == finding.errors.sorted())
    }

    @Test func integerIDLiteralsKeepTheirText() async {
        let response = await Self.engine.execute("{ big: text(id: -3000000000) huge: text(id: 12345678901234567890) }", context: Context())
        #expect(response.errors.isEmpty)
        #expect(response.data == .object(["big": "-3000000000", "huge": "12345678901234567890"]))
    }

    @Test func everyProblemInsideAVariableIsReportedWithTheValueWhereItIs() async {
        let response = await Self.engine.execute(
            "query ($f: Filter) { text(input: $f) }", variables: ["f": ["after": 1, "tags": ["x", 2, .null], "kind": "ALPH"]],
            context: Context())
        #expect(response.failure == .request)
        #expect(response.errors.map(\.message) == [
            #"Variable "$f" got invalid value 1 at "f.after"; String cannot represent a non string value: 1"#,
            #"Variable "$f" got invalid value "x" at "f.tags[0]"; Int cannot represent non-integer value: "x""#,
            #"Variable "$f" got invalid value null at "f.tags[2]"; Expected non-nullable type "Int!" not to be null."#,
            #"Variable "$f" got invalid value "ALPH" at "f.kind"; Value "ALPH" does not exist in "Kind" enum. Did you mean the enum value "ALPHA"?"#,
        ])
    }

    @Test func unknownInputFieldsOfAVariableGetSuggestions() async {
        let response = await Self.engine.execute(
            "query ($f: Filter) { text(input: $f) }", variables: ["f": ["after": "a", "kinds": 1]], context: Context())
        #expect(response.errors.map(\.message).first?.hasSuffix(#"; Field "kinds" is not defined by type "Filter". Did you mean "kind"?"#) == true)
        let enumResponse = await Self.engine.execute(
            "query ($f: Filter) { text(input: $f) }", variables: ["f": ["after": "a", "kind": 1]], context: Context())
        #expect(enumResponse.errors.map(\.message) == [
            #"Variable "$f" got invalid value 1 at "f.kind"; Enum "Kind" cannot represent non-string value: 1."#,
        ])
    }
}
