import GraphQLLite
import Testing

@Suite struct ParserTests {
    static let validDocuments: [String] = [
        "{ a }",
        "query { a }",
        "query Q($id: ID!, $n: Int = 5, $l: [String!]! = [\"x\"], $o: In = {a: 1, b: [1.5, -2e3]}) { a(id: $id, n: $n) }",
        "mutation M { createTask(input: {type: \"email\", payload: {to: \"a@b.c\", n: [1, 2]}, priority: HIGH}) { id } }",
        "subscription S { events }",
        "{ alias: field(arg: null, b: true, c: false, d: ENUM_VALUE) }",
        "query { ...F ... on T { x } ... @include(if: true) { y } }  fragment F on T { z }",
        "# a comment\n{ a, b,, c } # trailing",
        "{ a(s: \"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00E9 \\u{1F600} \\uD83D\\uDE00\") }",
        "{ a(s: \"\"\"\n    block\n      indented \\\"\"\" quote\n  \"\"\") }",
        "\u{FEFF}{ a }",
        "{ a @skip(if: $v) @include(if: true) }",
        "query ($v: [[Int!]]!) { a(l: [[1], [2, 3]]) }",
        "{ a(f: 0.5, g: -0, h: 1E10) }",
        "{ u: a(s: \"日本語\") } # ü",
    ]

    @Test(arguments: validDocuments)
    func parsesValidDocument(text: String) throws {
        _ = try GraphQLDocument(parsing: text)
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        let text: String
        let message: String
        let line: Int
        let column: Int
        var testDescription: String { text }
    }

    static let invalidDocuments: [Invalid] = [
        Invalid(text: "{", message: "Syntax Error: Expected Name, found <EOF>.", line: 1, column: 2),
        Invalid(text: "", message: "Syntax Error: Unexpected <EOF>.", line: 1, column: 1),
        Invalid(text: "{ a(b c) }", message: "Syntax Error: Expected \":\", found Name \"c\".", line: 1, column: 7),
        Invalid(text: "{ }", message: "Syntax Error: Expected Name, found \"}\".", line: 1, column: 3),
        Invalid(text: "query {\n  a(s: \"open\n}", message: "Syntax Error: Unterminated string.", line: 2, column: 13),
        Invalid(text: "{ a(n: 01) }", message: "Syntax Error: Invalid number, unexpected digit after 0: \"1\".", line: 1, column: 9),
        Invalid(text: "{ a(n: 1.) }", message: "Syntax Error: Invalid number, expected digit but got: \")\".", line: 1, column: 10),
        Invalid(text: "{ a(n: 1x) }", message: "Syntax Error: Invalid number, expected digit but got: \"x\".", line: 1, column: 9),
        Invalid(text: "{ a(s: \"\\x\") }", message: "Syntax Error: Invalid character escape sequence: \"\\x\".", line: 1, column: 9),
        Invalid(text: "{ a(s: \"\\u12\") }", message: "Syntax Error: Invalid Unicode escape sequence: \"\\u12\")\".", line: 1, column: 9),
        Invalid(text: "{ a ? }", message: "Syntax Error: Unexpected character: \"?\".", line: 1, column: 5),
        Invalid(text: "{ a(s: 'x') }", message: "Syntax Error: Unexpected single quote character ('), did you mean to use a double quote (\")?", line: 1, column: 8),
        Invalid(text: "type T { a: Int }", message: "Syntax Error: Unexpected Name \"type\".", line: 1, column: 1),
        Invalid(text: "fragment on on T { a }", message: "Syntax Error: Unexpected Name \"on\".", line: 1, column: 10),
        Invalid(text: "fragment F T { a }", message: "Syntax Error: Expected \"on\", found Name \"T\".", line: 1, column: 12),
        Invalid(text: "query ($a: Int = $b) { a }", message: "Syntax Error: Unexpected variable \"$b\" in constant value.", line: 1, column: 18),
        Invalid(text: "{ a(x: ..) }", message: "Syntax Error: Unexpected character: \".\".", line: 1, column: 8),
        Invalid(text: "{ a }}", message: "Syntax Error: Unexpected \"}\".", line: 1, column: 6),
        Invalid(text: "{ a(x: \"\"\"never) }", message: "Syntax Error: Unterminated string.", line: 1, column: 19),
        Invalid(text: "{ a\u{7} }", message: "Syntax Error: Unexpected character: U+0007.", line: 1, column: 4),
        Invalid(text: "{ a é }", message: "Syntax Error: Unexpected character: U+00E9.", line: 1, column: 5),
    ]

    @Test(arguments: invalidDocuments)
    func rejectsInvalidDocument(_ invalid: Invalid) {
        let error = #expect(throws: GraphQLError.self) { try GraphQLDocument(parsing: invalid.text) }
        #expect(error?.message == invalid.message)
        #expect(error?.locations == [GraphQLSourceLocation(line: invalid.line, column: invalid.column)])
        #expect(error?.code == "GRAPHQL_PARSE_FAILED")
    }

    @Test func hundredThousandNestedSelectionsEndInACleanError() {
        let text = String(repeating: "{ a ", count: 100_000) + String(repeating: "}", count: 100_000)
        let error = #expect(throws: GraphQLError.self) { try GraphQLDocument(parsing: text) }
        #expect(error?.message.contains("maximum nesting depth") == true)
    }

    @Test func hundredThousandNestedListsEndInACleanError() {
        let text = "{ a(x: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + ") }"
        let error = #expect(throws: GraphQLError.self) { try GraphQLDocument(parsing: text) }
        #expect(error?.message.contains("maximum nesting depth") == true)
    }

    @Test func tokenLimitStopsHugeDocuments() {
        let text = "{ " + String(repeating: "a ", count: 30_000) + "}"
        let error = #expect(throws: GraphQLError.self) { try GraphQLDocument(parsing: text, limits: GraphQLLimits(maxFields: 100_000)) }
        #expect(error?.message == "Syntax Error: Document contains more than 20000 tokens. Parsing aborted.")
    }

    @Test func fieldAndAliasLimits() {
        let fields = "{ " + String(repeating: "a ", count: 11) + "}"
        let fieldError = #expect(throws: GraphQLError.self) { try GraphQLDocument(parsing: fields, limits: GraphQLLimits(maxFields: 10)) }
        #expect(fieldError?.message == "Syntax Error: Document contains more than 10 fields.")
        let aliases = "{ " + (0..<3).map { "x\($0): a" }.joined(separator: " ") + " }"
        let aliasError = #expect(throws: GraphQLError.self) { try GraphQLDocument(parsing: aliases, limits: GraphQLLimits(maxAliases: 2)) }
        #expect(aliasError?.message == "Syntax Error: Document contains more than 2 aliases.")
    }

    @Test func invalidUTF8IsASyntaxError() {
        let error = #expect(throws: GraphQLError.self) { try GraphQLDocument(utf8: [123, 32, 0xFF, 0xFE, 32, 125]) }
        #expect(error?.code == "GRAPHQL_PARSE_FAILED")
    }

    @Test func reportsOperationTypes() throws {
        let document = try GraphQLDocument(parsing: "query A { a } mutation B { b }")
        #expect(document.operationNames == ["A", "B"])
        #expect(document.operationType(named: "B") == .mutation)
        #expect(document.operationType(named: nil) == nil)
    }
}
