/// A parsed executable document: operations and fragments.
///
/// Create one with ``init(parsing:limits:)`` (or ``GraphQLEngine/parse(_:)``), check it with
/// ``GraphQLSchema/validate(_:limits:)``, run it with ``GraphQLEngine/execute(document:variables:operationName:context:rootValue:allowedOperations:)``.
public struct GraphQLDocument: Sendable {
    package let definitions: [Definition]
    package let operations: [OperationDefinition]
    package let fragments: [String: FragmentDefinition]
    /// Where the string values written as block strings (`"""…"""`) start; empty in most documents.
    /// Only the overlap rule reads it: graphql-js compares argument values as written, so `"x"`
    /// and `"""x"""` are different arguments there.
    package let blockStrings: Set<SourcePosition>

    package init(definitions: [Definition], blockStrings: Set<SourcePosition> = []) {
        self.definitions = definitions
        self.blockStrings = blockStrings
        var operations: [OperationDefinition] = []
        var fragments: [String: FragmentDefinition] = [:]
        for definition in definitions {
            switch definition {
            case .operation(let operation): operations.append(operation)
            case .fragment(let fragment): fragments[fragment.name] = fragment  // the last of a name, as graphql-js (validation reports duplicates)
            }
        }
        self.operations = operations
        self.fragments = fragments
    }

    /// Parses document text.
    /// - Parameters:
    ///   - text: the document.
    ///   - limits: token, depth and size limits.
    /// - Throws: a ``GraphQLError`` like graphql-js's (`Syntax Error: Expected Name, found <EOF>.`)
    ///   with its location and code `GRAPHQL_PARSE_FAILED`.
    public init(parsing text: String, limits: GraphQLLimits = .default) throws(GraphQLError) {
        self = try Parser.parse(text, limits: limits)
    }

    /// Parses document text given as UTF-8 bytes; invalid UTF-8 is a syntax error.
    /// - Parameters:
    ///   - utf8: the document bytes.
    ///   - limits: token, depth and size limits.
    /// - Throws: a ``GraphQLError`` with code `GRAPHQL_PARSE_FAILED`.
    public init(utf8: [UInt8], limits: GraphQLLimits = .default) throws(GraphQLError) {
        guard let text = String(validating: utf8, as: UTF8.self) else {
            throw GraphQLError("Syntax Error: Invalid UTF-8 in document.", code: "GRAPHQL_PARSE_FAILED",
                               locations: [GraphQLSourceLocation(line: 1, column: 1)])
        }
        try self.init(parsing: text, limits: limits)
    }

    /// The names of the operations, in order (`nil` for an anonymous one).
    public var operationNames: [String?] { operations.map(\.name) }

    /// The type of the operation that `operationName` selects (or the only operation when `nil`);
    /// `nil` when there is no such operation. Lets a server refuse a mutation over GET early.
    /// - Parameter operationName: the operation's name, or `nil`.
    /// - Returns: its type.
    public func operationType(named operationName: String?) -> GraphQLOperationType? {
        if let operationName { return operations.first { $0.name == operationName }?.operation }
        return operations.count == 1 ? operations[0].operation : nil
    }
}
