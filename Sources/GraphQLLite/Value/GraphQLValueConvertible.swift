/// A Swift value that knows its ``GraphQLValue`` form.
///
/// Resolvers of leaf fields (scalars, enums) may return such values; the ``GraphQLScalarType/json``
/// scalar serialises them. Conform your own JSON type in your module:
/// ```swift
/// extension JSONValue: GraphQLValueConvertible {
///     public var graphQLValue: GraphQLValue { ... }
/// }
/// ```
public protocol GraphQLValueConvertible {
    /// The value as a ``GraphQLValue``.
    var graphQLValue: GraphQLValue { get }
}

extension GraphQLValue: GraphQLValueConvertible {
    /// The value itself.
    public var graphQLValue: GraphQLValue { self }
}

extension GraphQLObject: GraphQLValueConvertible {
    /// The object as a value.
    public var graphQLValue: GraphQLValue { .object(self) }
}
