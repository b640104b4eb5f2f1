/// An argument of a field, or a field of an input object.
///
/// ```swift
/// GraphQLArgument("limit", .int, defaultValue: 100)
/// GraphQLArgument("priority", "Priority", defaultValue: "NORMAL")   // an enum default is its name
/// GraphQLArgument("payload", "JSON", defaultValue: [:])            // `payload: JSON = {}`
/// ```
public struct GraphQLArgument: Sendable {
    /// The argument's name.
    public let name: String
    /// Its input type.
    public let type: GraphQLTypeReference
    /// Its default, as an input value (an enum value is given by its name as a string).
    public let defaultValue: GraphQLValue?
    /// Its documentation.
    public let description: String?
    /// Why it is deprecated, if it is.
    public let deprecationReason: String?

    /// Creates an argument or input field.
    /// - Parameters:
    ///   - name: the name.
    ///   - type: an input type (scalar, enum, input object, or lists/non-null of those).
    ///   - defaultValue: the value used when the caller gives none; `nil` for no default.
    ///   - description: documentation shown by introspection and the SDL printer.
    ///   - deprecationReason: marks it deprecated.
    public init(
        _ name: String,
        _ type: GraphQLTypeReference,
        defaultValue: GraphQLValue? = nil,
        description: String? = nil,
        deprecationReason: String? = nil
    ) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.description = description
        self.deprecationReason = deprecationReason
    }
}

/// A field of an input object: same shape as an argument.
public typealias GraphQLInputField = GraphQLArgument
