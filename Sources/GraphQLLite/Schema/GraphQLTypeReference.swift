/// A reference to a type by name, possibly wrapped in lists and non-null.
///
/// Types refer to each other by name, so recursive schemas (a `Task` with `logs: [TaskLog!]!`) need
/// no forward declarations; ``GraphQLSchema`` resolves every name when it is built.
/// ```swift
/// let logs: GraphQLTypeReference = .nonNull(.list(.nonNull("TaskLog")))   // [TaskLog!]!
/// let id: GraphQLTypeReference = .nonNull(.id)                            // ID!
/// ```
public indirect enum GraphQLTypeReference: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// A named type.
    case named(String)
    /// A list of the wrapped type.
    case list(GraphQLTypeReference)
    /// The wrapped type, never null.
    case nonNull(GraphQLTypeReference)

    /// The built-in `String`.
    public static let string = GraphQLTypeReference.named("String")
    /// The built-in `Int` (32-bit signed).
    public static let int = GraphQLTypeReference.named("Int")
    /// The built-in `Float`.
    public static let float = GraphQLTypeReference.named("Float")
    /// The built-in `Boolean`.
    public static let boolean = GraphQLTypeReference.named("Boolean")
    /// The built-in `ID`.
    public static let id = GraphQLTypeReference.named("ID")

    /// A reference to the named type `value`.
    public init(stringLiteral value: String) { self = .named(value) }

    /// The name of the innermost named type.
    public var namedType: String {
        switch self {
        case .named(let name): name
        case .list(let inner), .nonNull(let inner): inner.namedType
        }
    }

    /// The type in GraphQL notation, e.g. `[TaskLog!]!`.
    public var description: String {
        switch self {
        case .named(let name): name
        case .list(let inner): "[\(inner)]"
        case .nonNull(let inner): "\(inner)!"
        }
    }
}
