/// An error in a GraphQL response: `{"message", "locations", "path", "extensions": {"code"}}`.
///
/// Throw it from a resolver to null the field and report a code:
/// ```swift
/// throw GraphQLError("Task 42 not found", code: "NOT_FOUND")
/// ```
/// The engine fills in ``locations`` and ``path``.
public struct GraphQLError: Error, Sendable, Hashable {
    /// The human-readable message.
    public var message: String
    /// Where in the document the error points (1-based line and column).
    public var locations: [GraphQLSourceLocation]
    /// The response path of the field that failed (field names and list indices).
    public var path: [GraphQLPathComponent]
    /// Extra members, e.g. `code`.
    public var extensions: GraphQLObject

    /// Creates an error.
    /// - Parameters:
    ///   - message: the message.
    ///   - code: put into `extensions.code` when given.
    ///   - extensions: more extension members.
    ///   - locations: where it points in the document.
    ///   - path: the response path.
    public init(
        _ message: String,
        code: String? = nil,
        extensions: GraphQLObject = GraphQLObject(),
        locations: [GraphQLSourceLocation] = [],
        path: [GraphQLPathComponent] = []
    ) {
        self.message = message
        self.locations = locations
        self.path = path
        var extensions = extensions
        if let code { extensions["code"] = .string(code) }
        self.extensions = extensions
    }

    /// `extensions.code`, if any.
    public var code: String? { extensions["code"]?.stringValue }
}

/// A 1-based position in a GraphQL document.
public struct GraphQLSourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The line, from 1.
    public let line: Int
    /// The column, from 1, in Unicode scalars.
    public let column: Int

    /// Creates a location.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }
}

/// One step of a response path: a field's response key or a list index.
public enum GraphQLPathComponent: Sendable, Hashable, CustomStringConvertible {
    /// A field's response name (its alias, if it has one).
    case key(String)
    /// A position in a list.
    case index(Int)

    /// The key, or the index as digits.
    public var description: String {
        switch self {
        case .key(let key): key
        case .index(let index): String(index)
        }
    }
}

/// An error type that knows how to present itself in a GraphQL response.
///
/// Conform your module's error to it (in your module) so resolvers can throw it directly:
/// ```swift
/// extension TaskCoreError: GraphQLErrorConvertible {
///     public var graphQLError: GraphQLError { GraphQLError(message, code: "NOT_FOUND") }
/// }
/// ```
/// Other errors thrown by resolvers are reported with their `String(describing:)` as the message
/// and code `INTERNAL_SERVER_ERROR`.
public protocol GraphQLErrorConvertible: Error {
    /// The error as it appears in the response (locations and path are filled in by the engine).
    var graphQLError: GraphQLError { get }
}

/// A schema that cannot be built: an unknown type name, a duplicate, an interface not implemented.
public struct GraphQLSchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, naming the type and field.
    public let message: String

    /// Creates a schema error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
