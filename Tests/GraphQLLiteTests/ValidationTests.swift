import GraphQLLite
import Testing

/// One validation case: a document and the messages (with the first location) it must produce.
struct ValidationCase: Sendable, CustomTestStringConvertible {
    let rule: String
    let query: String
    let messages: [String]
    var testDescription: String { "\(rule): \(query)" }
}

@Suite struct ValidationTests {
    static let schema = Result { try makeTestSchema() }

    static let cases: [ValidationCase] = [
        ValidationCase(rule: "UniqueOperationNames", query: "query A { hello } query A { mood }",
                       messages: [#"There can be only one operation named "A"."#]),
        ValidationCase(rule: "LoneAnonymousOperation", query: "{ hello } query A { mood }",
                       messages: ["This anonymous operation must be the only defined operation."]),
        ValidationCase(rule: "KnownTypeNames", query: "query ($a: Strin) { pet(name: $a) { name } }",
                       messages: [#"Unknown type "Strin". Did you mean "String"?"#]),
        ValidationCase(rule: "FragmentsOnCompositeTypes", query: "{ pets { ...F } } fragment F on String { x }",
                       messages: [#"Fragment "F" cannot condition on non composite type "String"."#]),
        ValidationCase(rule: "VariablesAreInputTypes", query: "query ($a: Dog) { hello }",
                       messages: [#"Variable "$a" cannot be non-input type "Dog"."#, #"Variable "$a" is never used."#]),
        ValidationCase(rule: "ScalarLeafs", query: "{ hello { x } }",
                       messages: [#"Field "hello" must not have a selection since type "String!" has no subfields."#]),
        ValidationCase(rule: "ScalarLeafs", query: "{ pets }",
                       messages: [#"Field "pets" of type "[Named!]!" must have a selection of subfields. Did you mean "pets { ... }"?"#]),
        ValidationCase(rule: "FieldsOnCorrectType", query: "{ helo }",
                       messages: [#"Cannot query field "helo" on type "Query". Did you mean "hello"?"#]),
        ValidationCase(rule: "FieldsOnCorrectType", query: "{ pets { barks } }",
                       messages: [#"Cannot query field "barks" on type "Named". Did you mean to use an inline fragment on "Dog"?"#]),
        ValidationCase(rule: "UniqueFragmentNames", query: "{ pets { ...F } } fragment F on Dog { name } fragment F on Dog { name }",
                       messages: [#"There can be only one fragment named "F"."#]),
        ValidationCase(rule: "KnownFragmentNames", query: "{ pets { ...Nope } }", messages: [#"Unknown fragment "Nope"."#]),
        ValidationCase(rule: "NoUnusedFragments", query: "{ hello } fragment F on Dog { name }", messages: [#"Fragment "F" is never used."#]),
        ValidationCase(rule: "PossibleFragmentSpreads", query: "{ petUnions { ... on Query { hello } } }",
                       messages: [#"Fragment cannot be spread here as objects of type "PetUnion" can never be of type "Query"."#]),
        ValidationCase(rule: "PossibleFragmentSpreads", query: "{ pets { ...Q } } fragment Q on Query { hello }",
                       messages: [#"Fragment "Q" cannot be spread here as objects of type "Named" can never be of type "Query"."#]),
        ValidationCase(rule: "NoFragmentCycles", query: "{ pets { ...A } } fragment A on Dog { ...B } fragment B on Dog { ...A }",
                       messages: [#"Cannot spread fragment "A" within itself via "B"."#]),
        ValidationCase(rule: "NoFragmentCycles", query: "{ pets { ...A } } fragment A on Dog { name ...A }",
                       messages: [#"Cannot spread fragment "A" within itself."#]),
        ValidationCase(rule: "UniqueVariableNames", query: "query ($a: String!, $a: String!) { pet(name: $a) { name } }",
                       messages: [#"There can be only one variable named "$a"."#]),
        ValidationCase(rule: "NoUndefinedVariables", query: "query Q { pet(name: $x) { name } }",
                       messages: [#"Variable "$x" is not defined by operation "Q"."#]),
        ValidationCase(rule: "NoUnusedVariables", query: "query Q($x: Int) { hello }",
                       messages: [#"Variable "$x" is never used in operation "Q"."#]),
        ValidationCase(rule: "KnownDirectives", query: "{ hello @nope }", messages: [#"Unknown directive "@nope"."#]),
        ValidationCase(rule: "KnownDirectives", query: "query @skip(if: true) { hello }", messages: [#"Directive "@skip" may not be used on QUERY."#]),
        ValidationCase(rule: "UniqueDirectivesPerLocation", query: "{ hello @skip(if: true) @skip(if: false) }",
                       messages: [#"The directive "@skip" can only be used once at this location."#]),
        ValidationCase(rule: "KnownArgumentNames", query: #"{ pet(nam: "Rex") { name } }"#,
                       messages: [#"Unknown argument "nam" on field "Query.pet". Did you mean "name"?"#,
                                  #"Field "pet" argument "name" of type "String!" is required, but it was not provided."#]),
        ValidationCase(rule: "KnownArgumentNames", query: "{ hello @skip(iff: true, if: false) }",
                       messages: [#"Unknown argument "iff" on directive "@skip". Did you mean "if"?"#]),
        ValidationCase(rule: "UniqueArgumentNames", query: #"{ pet(name: "a", name: "b") { name } }"#,
                       messages: [#"There can be only one argument named "name"."#]),
        ValidationCase(rule: "ValuesOfCorrectType", query: #"{ pet(name: 5) { name } }"#,
                       messages: ["String cannot represent a non string value: 5"]),
        ValidationCase(rule: "ValuesOfCorrectType", query: #"{ sum(values: [1, "x"]) }"#,
                       messages: [#"Int cannot represent non-integer value: "x""#]),
        ValidationCase(rule: "ValuesOfCorrectType", query: "{ mood(mood: SAD) }",
                       messages: [#"Value "SAD" does not exist in "Mood" enum."#]),
        ValidationCase(rule: "ValuesOfCorrectType", query: #"{ mood(mood: "HAPPY") }"#,
                       messages: [#"Enum "Mood" cannot represent non-enum value: "HAPPY". Did you mean the enum value "HAPPY"?"#]),
        ValidationCase(rule: "ValuesOfCorrectType", query: "{ echo(input: {times: 2}) }",
                       messages: [#"Field "EchoInput.text" of required type "String!" was not provided."#]),
        ValidationCase(rule: "ValuesOfCorrectType", query: #"{ echo(input: {text: "a", tmes: 2}) }"#,
                       messages: [#"Field "tmes" is not defined by type "EchoInput". Did you mean "times"?"#]),
        ValidationCase(rule: "ValuesOfCorrectType", query: "{ pet(name: null) { name } }",
                       messages: [#"Expected value of type "String!", found null."#]),
        ValidationCase(rule: "ValuesOfCorrectType", query: #"{ when(at: "yesterday") }"#,
                       messages: [#"DateTime cannot represent an invalid date-time string: "yesterday"; expected ISO 8601 like 2026-11-29T02:00:00.000Z."#]),
        ValidationCase(rule: "ProvidedRequiredArguments", query: "{ sum }",
                       messages: [#"Field "sum" argument "values" of type "[Int!]!" is required, but it was not provided."#]),
        ValidationCase(rule: "ProvidedRequiredArguments", query: "{ hello @include }",
                       messages: [#"Directive "@include" argument "if" of type "Boolean!" is required, but it was not provided."#]),
        ValidationCase(rule: "VariablesInAllowedPosition", query: "query ($n: String) { pet(name: $n) { name } }",
                       messages: [#"Variable "$n" of type "String" used in position expecting type "String!"."#]),
        ValidationCase(rule: "VariablesInAllowedPosition", query: "query ($n: Int!) { pet(name: $n) { name } }",
                       messages: [#"Variable "$n" of type "Int!" used in position expecting type "String!"."#]),
        ValidationCase(rule: "OverlappingFieldsCanBeMerged", query: "{ a: hello a: mood }",
                       messages: [#"Fields "a" conflict because "hello" and "mood" are different fields. Use different aliases on the fields to fetch both if this was intentional."#]),
        ValidationCase(rule: "OverlappingFieldsCanBeMerged", query: #"{ pet(name: "a") { name } pet(name: "b") { name } }"#,
                       messages: [#"Fields "pet" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional."#]),
        ValidationCase(rule: "OverlappingFieldsCanBeMerged", query: "{ pets { ... on Dog { x: barks } ... on Cat { x: lives } } }",
                       messages: [#"Fields "x" conflict because they return conflicting types "Boolean!" and "Int". Use different aliases on the fields to fetch both if this was intentional."#]),
        ValidationCase(rule: "OverlappingFieldsCanBeMerged", query: #"{ p: pet(name: "a") { n: name } p: pet(name: "a") { n: __typename } }"#,
                       messages: [#"Fields "p" conflict because subfields "n" conflict because "name" and "__typename" are different fields. Use different aliases on the fields to fetch both if this was intentional."#]),
        // Argument values are compared as written, object fields by name (graphql-js's sortValueNode).
        ValidationCase(rule: "OverlappingFieldsCanBeMerged", query: #"{ echo(input: {text: "a", times: 2}) echo(input: {times: 2, text: "a"}) }"#,
                       messages: []),
        ValidationCase(rule: "OverlappingFieldsCanBeMerged", query: #"{ echo(input: {text: "a", times: 2}) echo(input: {times: 3, text: "a"}) }"#,
                       messages: [#"Fields "echo" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional."#]),
        // ... and as written: a block string is not the same argument as a string of the same value.
        ValidationCase(rule: "OverlappingFieldsCanBeMerged", query: #"{ pet(name: """Rex""") { name } pet(name: "Rex") { name } }"#,
                       messages: [#"Fields "pet" conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional."#]),
        ValidationCase(rule: "OverlappingFieldsCanBeMerged", query: #"{ pet(name: """Rex""") { name } pet(name: """Rex""") { name } }"#,
                       messages: []),
        ValidationCase(rule: "UniqueInputFieldNames", query: #"{ echo(input: {text: "a", text: "b"}) }"#,
                       messages: [#"There can be only one input field named "text"."#]),
    ]

    @Test(arguments: cases)
    func reportsRuleViolation(_ testCase: ValidationCase) throws {
        let schema = try Self.schema.get()
        let document = try GraphQLDocument(parsing: testCase.query)
        let errors = schema.validate(document)
        #expect(errors.map(\.message) == testCase.messages)
        #expect(errors.allSatisfy { $0.code == "GRAPHQL_VALIDATION_FAILED" && !$0.locations.isEmpty })
    }

    static let validQueries: [String] = [
        "{ hello slowHello }",
        "query Q($n: String!, $v: [Int!]! = [1]) { pet(name: $n) { name ... on Dog { barks } } sum(values: $v) }",
        "query ($b: Boolean = true) { hello @include(if: $b) }",
        #"{ echo(input: {text: "a", extra: {any: [1, "x", {y: null}], e: ENUM}}) }"#,
        "{ pets { ...N } } fragment N on Named { name __typename }",
        "{ pets { ... on Dog { x: barks } ... on Cat { y: lives } } }",
        "{ a: hello a: hello }",
        "query ($i: Int!) { sum(values: [$i]) }",
        "query ($m: Mood) { mood(mood: $m) }",
        "{ __schema { queryType { name } } __type(name: \"Dog\") { name } }",
    ]

    @Test(arguments: validQueries)
    func acceptsValidDocument(query: String) throws {
        let schema = try Self.schema.get()
        #expect(schema.validate(try GraphQLDocument(parsing: query)).map(\.message) == [])
    }

    @Test func validationFailureIsReportedByTheEngine() async throws {
        let response = try await run("{ helo }")
        #expect(response.failure == .validation)
        #expect(response.jsonString() == #"{"errors":[{"message":"Cannot query field \"helo\" on type \"Query\". Did you mean \"hello\"?","locations":[{"line":1,"column":3}],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}"#)
    }

    @Test func deepFragmentChainsAreValidatedWithoutOverflow() throws {
        let schema = try Self.schema.get()
        let count = 2_000
        var text = "{ pets { ...F0 } }\n"
        for index in 0..<count { text += "fragment F\(index) on Dog { name ...F\(index + 1) }\n" }
        text += "fragment F\(count) on Dog { name ...F0 }"
        let document = try GraphQLDocument(parsing: text, limits: GraphQLLimits(maxTokens: 100_000, maxFields: 100_000))
        let errors = schema.validate(document)
        #expect(errors.contains { $0.message.hasPrefix("Cannot spread fragment \"F0\" within itself via") })
    }
}
