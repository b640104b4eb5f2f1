/// A schema: the root types and every type they reach, resolved and checked once.
///
/// ```swift
/// let schema = try GraphQLSchema(
///     query: GraphQLObjectType("Query", fields: [...]),
///     mutation: GraphQLObjectType("Mutation", fields: [...]),
///     types: [taskType, taskStatusEnum, GraphQLScalarType.json, GraphQLScalarType.dateTime]
/// )
/// print(schema.sdl)
/// ```
/// Every type a field or argument names must be among `types` (the built-in scalars and the
/// root types are added for you).
public final class GraphQLSchema: Sendable {
    package let queryType: NamedTypeModel
    package let mutationType: NamedTypeModel?
    package let subscriptionType: NamedTypeModel?
    /// Every named type by name, including built-in scalars and introspection types.
    package let typesByName: [String: NamedTypeModel]
    /// The user's and built-in types in definition order (introspection types last).
    package let orderedTypes: [NamedTypeModel]
    package let directives: [DirectiveModel]
    /// The meta-field definitions `__schema`, `__type` and `__typename`.
    package let metaFields: MetaFields

    /// Builds and checks a schema.
    /// - Parameters:
    ///   - query: the query root type.
    ///   - mutation: the mutation root type, if any.
    ///   - subscription: the subscription root type, if any (subscriptions are not executed).
    ///   - types: every other named type the schema uses.
    /// - Throws: ``GraphQLSchemaError`` naming the problem: a duplicate or unknown type name, an
    ///   input type used as output or the reverse, an object missing a field of its interface.
    public init(
        query: GraphQLObjectType,
        mutation: GraphQLObjectType? = nil,
        subscription: GraphQLObjectType? = nil,
        types: [any GraphQLNamedType] = []
    ) throws(GraphQLSchemaError) {
        var builder = SchemaBuilder()
        let builtins: [any GraphQLNamedType] = [
            GraphQLScalarType.string, GraphQLScalarType.int, GraphQLScalarType.float,
            GraphQLScalarType.boolean, GraphQLScalarType.id,
        ]
        var all: [any GraphQLNamedType] = [query]
        if let mutation { all.append(mutation) }
        if let subscription { all.append(subscription) }
        all += types
        try builder.declare(all, builtinScalars: builtins)
        try builder.declare(Introspection.types, introspection: true)
        try builder.resolve()
        builder.removeUnusedBuiltinScalars()
        typesByName = builder.typesByName
        orderedTypes = builder.ordered
        queryType = try builder.model(query.name)
        mutationType = try mutation.map { (type) throws(GraphQLSchemaError) in try builder.model(type.name) }
        subscriptionType = try subscription.map { (type) throws(GraphQLSchemaError) in try builder.model(type.name) }
        directives = try builder.builtinDirectives()
        metaFields = try MetaFields(builder: builder)
    }

    /// The named type `name`, if the schema has it.
    package func type(named name: String) -> NamedTypeModel? { typesByName[name] }

    /// The root type of an operation type.
    package func rootType(for operation: GraphQLOperationType) -> NamedTypeModel? {
        switch operation {
        case .query: queryType
        case .mutation: mutationType
        case .subscription: subscriptionType
        }
    }

    package func directive(named name: String) -> DirectiveModel? { directives.first { $0.name == name } }

    /// Whether `possible` can be the runtime type of a value of `abstract` (or is `abstract`).
    package func isPossibleType(_ possible: NamedTypeModel, of abstract: NamedTypeModel) -> Bool {
        if possible === abstract { return true }
        return abstract.isAbstract && abstract.possibleTypeNames.contains(possible.name)
    }

    /// The object types a composite type may be at run time.
    package func possibleTypes(of type: NamedTypeModel) -> [NamedTypeModel] {
        type.kind == .object ? [type] : type.possibleTypes
    }
}

/// The models of the meta-fields every composite type has.
package struct MetaFields: Sendable {
    package let typename: FieldModel
    package let schema: FieldModel
    package let type: FieldModel

    init(builder: SchemaBuilder) throws(GraphQLSchemaError) {
        let string = try builder.model("String")
        typename = FieldModel(
            name: "__typename", parent: "(any)", description: "The name of the current Object type at runtime.",
            deprecationReason: nil, resolver: .property, type: .nonNull(.named(string))
        )
        schema = FieldModel(
            name: "__schema", parent: "Query", description: "Access the current type schema of this server.",
            deprecationReason: nil, resolver: .property, type: .nonNull(.named(try builder.model("__Schema")))
        )
        type = FieldModel(
            name: "__type", parent: "Query", description: "Request the type information of a single type.",
            deprecationReason: nil, resolver: .property, type: .named(try builder.model("__Type"))
        )
        type.arguments = [InputValueModel(name: "name", description: nil, type: .nonNull(.named(string)), defaultValue: nil, deprecationReason: nil)]
    }
}
