/// A recursive-descent parser of executable documents (GraphQL, October 2021).
///
/// Nesting is bounded by ``GraphQLLimits/maxDepth`` so hostile input ends in a clean error,
/// never a stack overflow; tokens, fields and aliases are bounded too.
package struct Parser {
    var lexer: Lexer
    var token: Token
    var depth = 0
    var fieldCount = 0
    var aliasCount = 0
    /// The positions of block string values (see ``GraphQLDocument/blockStrings``).
    var blockStrings: Set<SourcePosition> = []
    let limits: GraphQLLimits

    /// Parses `text` into a document.
    package static func parse(_ text: String, limits: GraphQLLimits) throws(GraphQLError) -> GraphQLDocument {
        guard text.utf8.count <= limits.maxDocumentBytes else {
            throw GraphQLError(
                "Syntax Error: Document is larger than \(limits.maxDocumentBytes) bytes.",
                code: "GRAPHQL_PARSE_FAILED", locations: [GraphQLSourceLocation(line: 1, column: 1)]
            )
        }
        var text = text
        text.makeContiguousUTF8()
        let result: Result<GraphQLDocument, GraphQLError>? = text.utf8.withContiguousStorageIfAvailable { bytes in
            do throws(GraphQLError) {
                var parser = try Parser(bytes: bytes, limits: limits)
                return .success(try parser.parseDocument())
            } catch {
                return .failure(error)
            }
        }
        guard let result else { throw GraphQLError("Syntax Error: Document text is not contiguous.", code: "GRAPHQL_PARSE_FAILED") }
        return try result.get()
    }

    init(bytes: UnsafeBufferPointer<UInt8>, limits: GraphQLLimits) throws(GraphQLError) {
        self.limits = limits
        lexer = Lexer(bytes: bytes, maxTokens: limits.maxTokens)
        token = try lexer.next()
    }

    // MARK: Tokens

    @inline(__always)
    mutating func advance() throws(GraphQLError) { token = try lexer.next() }

    /// Consumes a token of `kind` if it is next.
    @inline(__always)
    mutating func skip(_ kind: TokenKind) throws(GraphQLError) -> Bool {
        guard token.kind == kind else { return false }
        try advance()
        return true
    }

    /// Consumes a token of `kind` or fails with `Expected …, found ….`.
    @inline(__always)
    mutating func expect(_ kind: TokenKind) throws(GraphQLError) {
        guard token.kind == kind else { throw syntaxError("Expected \(kind.display), found \(describe(token)).", token.position) }
        try advance()
    }

    /// Consumes a name and returns it.
    mutating func expectName() throws(GraphQLError) -> String {
        guard token.kind == .name else { throw syntaxError("Expected Name, found \(describe(token)).", token.position) }
        let name = lexer.text(token.start, token.end)
        try advance()
        return name
    }

    /// Consumes the keyword `keyword` or fails.
    mutating func expectKeyword(_ keyword: String) throws(GraphQLError) {
        guard isKeyword(keyword) else { throw syntaxError("Expected \"\(keyword)\", found \(describe(token)).", token.position) }
        try advance()
    }

    /// Whether the current token is the name `keyword`.
    func isKeyword(_ keyword: String) -> Bool {
        guard token.kind == .name, token.end - token.start == keyword.utf8.count else { return false }
        var index = token.start
        for byte in keyword.utf8 {
            guard lexer.bytes[index] == byte else { return false }
            index += 1
        }
        return true
    }

    func unexpected(_ token: Token) -> GraphQLError {
        syntaxError("Unexpected \(describe(token)).", token.position)
    }

    /// graphql-js's token description: `<EOF>`, `"{"`, `Name "foo"`.
    func describe(_ token: Token) -> String {
        switch token.kind {
        case .name, .int, .float, .string, .blockString:
            let value = token.value ?? lexer.text(token.start, token.end)
            return "\(token.kind.display) \"\(value)\""
        default:
            return token.kind.display
        }
    }

    /// Enters one level of nesting, failing beyond the depth limit.
    @inline(__always)
    mutating func descend() throws(GraphQLError) {
        depth += 1
        if depth > limits.maxDepth {
            throw syntaxError("Document exceeds the maximum nesting depth of \(limits.maxDepth).", token.position)
        }
    }

    // MARK: Definitions

    mutating func parseDocument() throws(GraphQLError) -> GraphQLDocument {
        var definitions: [Definition] = []
        repeat {
            definitions.append(try parseDefinition())
        } while token.kind != .eof
        return GraphQLDocument(definitions: definitions, blockStrings: blockStrings)
    }

    mutating func parseDefinition() throws(GraphQLError) -> Definition {
        if token.kind == .braceL {
            let position = token.position
            let selectionSet = try parseSelectionSet()
            return .operation(OperationDefinition(
                operation: .query, name: nil, variables: [], directives: [], selectionSet: selectionSet, position: position
            ))
        }
        if token.kind == .name {
            if isKeyword("query") { return .operation(try parseOperation(.query)) }
            if isKeyword("mutation") { return .operation(try parseOperation(.mutation)) }
            if isKeyword("subscription") { return .operation(try parseOperation(.subscription)) }
            if isKeyword("fragment") { return .fragment(try parseFragmentDefinition()) }
        }
        throw unexpected(token)
    }

    mutating func parseOperation(_ operation: GraphQLOperationType) throws(GraphQLError) -> OperationDefinition {
        let position = token.position
        try advance()
        let namePosition = token.position
        let name = token.kind == .name ? try expectName() : nil
        let variables = try parseVariableDefinitions()
        let directives = try parseDirectives(isConst: false)
        let selectionSet = try parseSelectionSet()
        return OperationDefinition(
            operation: operation, name: name, variables: variables, directives: directives,
            selectionSet: selectionSet, position: position, namePosition: name == nil ? position : namePosition
        )
    }

    mutating func parseVariableDefinitions() throws(GraphQLError) -> [VariableDefinition] {
        guard try skip(.parenL) else { return [] }
        var definitions: [VariableDefinition] = []
        repeat {
            let position = token.position
            try expect(.dollar)
            let namePosition = token.position
            let name = try expectName()
            try expect(.colon)
            let type = try parseType()
            let defaultValue = try skip(.equals) ? try parseValue(isConst: true) : nil
            let directives = try parseDirectives(isConst: true)
            definitions.append(VariableDefinition(name: name, type: type, defaultValue: defaultValue, directives: directives, position: position, namePosition: namePosition))
        } while !(try skip(.parenR))
        return definitions
    }

    mutating func parseFragmentDefinition() throws(GraphQLError) -> FragmentDefinition {
        let position = token.position
        try advance()
        if isKeyword("on") { throw unexpected(token) }
        let namePosition = token.position
        let name = try expectName()
        try expectKeyword("on")
        let typePosition = token.position
        let typeCondition = NamedTypeNode(name: try expectName(), position: typePosition)
        let directives = try parseDirectives(isConst: false)
        let selectionSet = try parseSelectionSet()
        return FragmentDefinition(
            name: name, typeCondition: typeCondition, directives: directives, selectionSet: selectionSet, position: position,
            namePosition: namePosition
        )
    }
}
