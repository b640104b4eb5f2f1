/// An enum type.
///
/// Each value has a GraphQL name and, optionally, the Swift value resolvers return for it:
/// ```swift
/// GraphQLEnumType("TaskStatus", values: [
///     GraphQLEnumValue("PENDING", value: TaskStatus.pending),
///     GraphQLEnumValue("COMPLETED", value: TaskStatus.completed),
/// ])
/// ```
/// A resolver may return either that Swift value or the name as a `String`. Arguments and input
/// fields of an enum type arrive in ``GraphQLArguments`` as the name (a string).
public struct GraphQLEnumType: GraphQLNamedType {
    /// The type's name.
    public let name: String
    /// Its documentation.
    public let description: String?
    /// Its values, in order.
    public let values: [GraphQLEnumValue]

    /// Creates an enum type.
    /// - Parameters:
    ///   - name: the type name.
    ///   - description: documentation.
    ///   - values: its values.
    public init(_ name: String, description: String? = nil, values: [GraphQLEnumValue]) {
        self.name = name
        self.description = description
        self.values = values
    }

    /// Creates an enum type whose values are just names.
    /// - Parameters:
    ///   - name: the type name.
    ///   - description: documentation.
    ///   - names: the value names.
    public init(_ name: String, description: String? = nil, names: [String]) {
        self.init(name, description: description, values: names.map { GraphQLEnumValue($0) })
    }
}

/// One value of an enum type.
public struct GraphQLEnumValue: Sendable {
    /// The GraphQL name, e.g. `PENDING`.
    public let name: String
    /// The Swift value resolvers return for it; `nil` means the name itself.
    public let value: (any Hashable & Sendable)?
    /// Its documentation.
    public let description: String?
    /// Why it is deprecated, if it is.
    public let deprecationReason: String?

    /// Creates an enum value.
    /// - Parameters:
    ///   - name: the GraphQL name.
    ///   - value: the Swift value that serialises to it (besides the name as a string).
    ///   - description: documentation.
    ///   - deprecationReason: marks it deprecated.
    public init(
        _ name: String,
        value: (any Hashable & Sendable)? = nil,
        description: String? = nil,
        deprecationReason: String? = nil
    ) {
        self.name = name
        self.value = value
        self.description = description
        self.deprecationReason = deprecationReason
    }
}
