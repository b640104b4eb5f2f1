/// The introspection types of spec §4.5 (`__Schema`, `__Type`, …), defined with GraphQLLite's own
/// schema API over the resolved schema model.
package enum Introspection {
    static let types: [any GraphQLNamedType] = [schemaType, typeType, fieldType, inputValueType, enumValueType, directiveType, typeKind, directiveLocation]

    private static let includeDeprecated = [GraphQLArgument("includeDeprecated", .boolean, defaultValue: false)]

    static let schemaType = GraphQLObjectType(
        "__Schema",
        description: "A GraphQL Schema defines the capabilities of a GraphQL server. It exposes all available types and directives on the server, as well as the entry points for query, mutation, and subscription operations.",
        fields: [
            GraphQLField("description", .string) { (_: GraphQLSchema, _, _: Any) -> String? in nil },
            GraphQLField("types", .nonNull(.list(.nonNull("__Type"))), description: "A list of all types supported by this server.") {
                (schema: GraphQLSchema, _, _: Any) in schema.orderedTypes.map { TypeRef.named($0) }
            },
            GraphQLField("queryType", .nonNull("__Type"), description: "The type that query operations will be rooted at.") {
                (schema: GraphQLSchema, _, _: Any) in TypeRef.named(schema.queryType)
            },
            GraphQLField("mutationType", "__Type", description: "If this server supports mutation, the type that mutation operations will be rooted at.") {
                (schema: GraphQLSchema, _, _: Any) in schema.mutationType.map { TypeRef.named($0) }
            },
            GraphQLField("subscriptionType", "__Type", description: "If this server support subscription, the type that subscription operations will be rooted at.") {
                (schema: GraphQLSchema, _, _: Any) in schema.subscriptionType.map { TypeRef.named($0) }
            },
            GraphQLField("directives", .nonNull(.list(.nonNull("__Directive"))), description: "A list of all directives supported by this server.") {
                (schema: GraphQLSchema, _, _: Any) in schema.directives
            },
        ]
    )

    static let typeType = GraphQLObjectType(
        "__Type",
        description: "The fundamental unit of any GraphQL Schema is the type. There are many kinds of types in GraphQL as represented by the `__TypeKind` enum.\n\nDepending on the kind of a type, certain fields describe information about that type. Scalar types provide no information beyond a name, description and optional `specifiedByURL`, while Enum types provide their values. Object and Interface types provide the fields they describe. Abstract types, Union and Interface, provide the Object types possible at runtime. List and NonNull types compose other types.",
        fields: [
            GraphQLField("kind", .nonNull("__TypeKind")) { (type: TypeRef, _, _: Any) -> String in
                switch type {
                case .named(let named): named.kind.rawValue
                case .list: "LIST"
                case .nonNull: "NON_NULL"
                }
            },
            GraphQLField("name", .string) { (type: TypeRef, _, _: Any) -> String? in
                if case .named(let named) = type { return named.name }
                return nil
            },
            GraphQLField("description", .string) { (type: TypeRef, _, _: Any) -> String? in
                if case .named(let named) = type { return named.description }
                return nil
            },
            GraphQLField("specifiedByURL", .string) { (type: TypeRef, _, _: Any) -> String? in
                if case .named(let named) = type { return named.scalar?.specifiedByURL }
                return nil
            },
            GraphQLField("fields", .list(.nonNull("__Field")), arguments: includeDeprecated) { (type: TypeRef, args, _: Any) -> [FieldModel]? in
                guard case .named(let named) = type, named.kind == .object || named.kind == .interface else { return nil }
                return args.bool("includeDeprecated") == true ? named.fields : named.fields.filter { $0.deprecationReason == nil }
            },
            GraphQLField("interfaces", .list(.nonNull("__Type"))) { (type: TypeRef, _, _: Any) -> [TypeRef]? in
                guard case .named(let named) = type, named.kind == .object || named.kind == .interface else { return nil }
                return named.interfaces.map { TypeRef.named($0) }
            },
            GraphQLField("possibleTypes", .list(.nonNull("__Type"))) { (type: TypeRef, _, _: Any) -> [TypeRef]? in
                guard case .named(let named) = type, named.isAbstract else { return nil }
                return named.possibleTypes.map { TypeRef.named($0) }
            },
            GraphQLField("enumValues", .list(.nonNull("__EnumValue")), arguments: includeDeprecated) { (type: TypeRef, args, _: Any) -> [EnumValueModel]? in
                guard case .named(let named) = type, named.kind == .enumeration else { return nil }
                return args.bool("includeDeprecated") == true ? named.enumValues : named.enumValues.filter { $0.deprecationReason == nil }
            },
            GraphQLField("inputFields", .list(.nonNull("__InputValue")), arguments: includeDeprecated) { (type: TypeRef, args, _: Any) -> [InputValueModel]? in
                guard case .named(let named) = type, named.kind == .inputObject else { return nil }
                return args.bool("includeDeprecated") == true ? named.inputFields : named.inputFields.filter { $0.deprecationReason == nil }
            },
            GraphQLField("ofType", "__Type") { (type: TypeRef, _, _: Any) -> TypeRef? in
                switch type {
                case .named: nil
                case .list(let inner), .nonNull(let inner): inner
                }
            },
            GraphQLField("isOneOf", .boolean) { (type: TypeRef, _, _: Any) -> Bool? in
                if case .named(let named) = type, named.kind == .inputObject { return false }
                return nil
            },
        ]
    )

    static let fieldType = GraphQLObjectType(
        "__Field",
        description: "Object and Interface types are described by a list of Fields, each of which has a name, potentially a list of arguments, and a return type.",
        fields: [
            GraphQLField("name", .nonNull(.string)) { (field: FieldModel, _, _: Any) in field.name },
            GraphQLField("description", .string) { (field: FieldModel, _, _: Any) in field.description },
            GraphQLField("args", .nonNull(.list(.nonNull("__InputValue"))), arguments: includeDeprecated) { (field: FieldModel, args, _: Any) in
                args.bool("includeDeprecated") == true ? field.arguments : field.arguments.filter { $0.deprecationReason == nil }
            },
            GraphQLField("type", .nonNull("__Type")) { (field: FieldModel, _, _: Any) in field.type },
            GraphQLField("isDeprecated", .nonNull(.boolean)) { (field: FieldModel, _, _: Any) in field.deprecationReason != nil },
            GraphQLField("deprecationReason", .string) { (field: FieldModel, _, _: Any) in field.deprecationReason },
        ]
    )

    static let inputValueType = GraphQLObjectType(
        "__InputValue",
        description: "Arguments provided to Fields or Directives and the input fields of an InputObject are represented as Input Values which describe their type and optionally a default value.",
        fields: [
            GraphQLField("name", .nonNull(.string)) { (value: InputValueModel, _, _: Any) in value.name },
            GraphQLField("description", .string) { (value: InputValueModel, _, _: Any) in value.description },
            GraphQLField("type", .nonNull("__Type")) { (value: InputValueModel, _, _: Any) in value.type },
            GraphQLField("defaultValue", .string, description: "A GraphQL-formatted string representing the default value for this input value.") {
                (value: InputValueModel, _, _: Any) in value.defaultValue.map { SDLPrinter.literal($0, value.type) }
            },
            GraphQLField("isDeprecated", .nonNull(.boolean)) { (value: InputValueModel, _, _: Any) in value.deprecationReason != nil },
            GraphQLField("deprecationReason", .string) { (value: InputValueModel, _, _: Any) in value.deprecationReason },
        ]
    )

    static let enumValueType = GraphQLObjectType(
        "__EnumValue",
        description: "One possible value for a given Enum. Enum values are unique values, not a placeholder for a string or numeric value. However an Enum value is returned in a JSON response as a string.",
        fields: [
            GraphQLField("name", .nonNull(.string)) { (value: EnumValueModel, _, _: Any) in value.name },
            GraphQLField("description", .string) { (value: EnumValueModel, _, _: Any) in value.description },
            GraphQLField("isDeprecated", .nonNull(.boolean)) { (value: EnumValueModel, _, _: Any) in value.deprecationReason != nil },
            GraphQLField("deprecationReason", .string) { (value: EnumValueModel, _, _: Any) in value.deprecationReason },
        ]
    )

    static let directiveType = GraphQLObjectType(
        "__Directive",
        description: "A Directive provides a way to describe alternate runtime execution and type validation behavior in a GraphQL document.\n\nIn some cases, you need to provide options to alter GraphQL's execution behavior in ways field arguments will not suffice, such as conditionally including or skipping a field. Directives provide this by describing additional information to the executor.",
        fields: [
            GraphQLField("name", .nonNull(.string)) { (directive: DirectiveModel, _, _: Any) in directive.name },
            GraphQLField("description", .string) { (directive: DirectiveModel, _, _: Any) in directive.description },
            GraphQLField("isRepeatable", .nonNull(.boolean)) { (directive: DirectiveModel, _, _: Any) in directive.isRepeatable },
            GraphQLField("locations", .nonNull(.list(.nonNull("__DirectiveLocation")))) { (directive: DirectiveModel, _, _: Any) in directive.locations },
            GraphQLField("args", .nonNull(.list(.nonNull("__InputValue"))), arguments: includeDeprecated) { (directive: DirectiveModel, args, _: Any) in
                args.bool("includeDeprecated") == true ? directive.arguments : directive.arguments.filter { $0.deprecationReason == nil }
            },
        ]
    )

    static let typeKind = GraphQLEnumType(
        "__TypeKind", description: "An enum describing what kind of type a given `__Type` is.",
        names: ["SCALAR", "OBJECT", "INTERFACE", "UNION", "ENUM", "INPUT_OBJECT", "LIST", "NON_NULL"]
    )

    static let directiveLocation = GraphQLEnumType(
        "__DirectiveLocation",
        description: "A Directive can be adjacent to many parts of the GraphQL language, a __DirectiveLocation describes one such possible adjacencies.",
        names: [
            "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD", "INLINE_FRAGMENT",
            "VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INTERFACE",
            "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT", "INPUT_FIELD_DEFINITION",
        ]
    )
}
