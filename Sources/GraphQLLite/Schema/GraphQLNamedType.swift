/// A named type definition you hand to ``GraphQLSchema``: ``GraphQLObjectType``,
/// ``GraphQLInterfaceType``, ``GraphQLUnionType``, ``GraphQLEnumType``,
/// ``GraphQLInputObjectType`` or ``GraphQLScalarType``.
public protocol GraphQLNamedType: Sendable {
    /// The type's name.
    var name: String { get }
    /// Its documentation.
    var description: String? { get }
}
