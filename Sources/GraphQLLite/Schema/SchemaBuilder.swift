/// Turns the public type definitions into resolved ``NamedTypeModel``s and checks them.
package struct SchemaBuilder {
    package internal(set) var typesByName: [String: NamedTypeModel] = [:]
    package internal(set) var ordered: [NamedTypeModel] = []
    private var pending: [(model: NamedTypeModel, definition: any GraphQLNamedType)] = []

    package init() {}

    package func model(_ name: String) throws(GraphQLSchemaError) -> NamedTypeModel {
        guard let model = typesByName[name] else { throw GraphQLSchemaError("Unknown type \"\(name)\".") }
        return model
    }

    /// Registers types by name (a built-in scalar may be redefined by the caller only if identical).
    package mutating func declare(
        _ definitions: [any GraphQLNamedType],
        builtinScalars: [any GraphQLNamedType] = [],
        introspection: Bool = false
    ) throws(GraphQLSchemaError) {
        for definition in builtinScalars + definitions {
            if let existing = typesByName[definition.name] {
                // The same root type passed twice, or a built-in scalar listed again: keep the first.
                if existing.kind == .scalar, existing.scalar?.builtin != nil, definition is GraphQLScalarType { continue }
                if pending.contains(where: { $0.model === existing && isSameDefinition($0.definition, definition) }) { continue }
                throw GraphQLSchemaError("Schema must contain uniquely named types but contains multiple types named \"\(definition.name)\".")
            }
            guard isValidName(definition.name) else {
                throw GraphQLSchemaError("Type name \"\(definition.name)\" is not a valid GraphQL name.")
            }
            let model: NamedTypeModel
            switch definition {
            case let scalar as GraphQLScalarType:
                model = NamedTypeModel(kind: .scalar, name: scalar.name, description: scalar.description, scalar: scalar)
            case let object as GraphQLObjectType:
                model = NamedTypeModel(kind: .object, name: object.name, description: object.description)
                model.isTypeOf = object.isTypeOf
            case let interface as GraphQLInterfaceType:
                model = NamedTypeModel(kind: .interface, name: interface.name, description: interface.description)
                model.resolveType = interface.resolveType
            case let union as GraphQLUnionType:
                model = NamedTypeModel(kind: .union, name: union.name, description: union.description)
                model.resolveType = union.resolveType
            case let enumeration as GraphQLEnumType:
                model = NamedTypeModel(kind: .enumeration, name: enumeration.name, description: enumeration.description)
                model.enumValues = enumeration.values.map {
                    EnumValueModel(name: $0.name, description: $0.description, deprecationReason: $0.deprecationReason, value: $0.value)
                }
            case let input as GraphQLInputObjectType:
                model = NamedTypeModel(kind: .inputObject, name: input.name, description: input.description)
            default:
                throw GraphQLSchemaError("Type \"\(definition.name)\" is not one of GraphQLLite's type definitions.")
            }
            model.isIntrospection = introspection
            typesByName[model.name] = model
            ordered.append(model)
            pending.append((model, definition))
        }
    }

    private func isSameDefinition(_ a: any GraphQLNamedType, _ b: any GraphQLNamedType) -> Bool {
        type(of: a) == type(of: b) && a.name == b.name
    }

    /// Resolves every field, argument, interface and union member, and checks the result.
    package mutating func resolve() throws(GraphQLSchemaError) {
        for (model, definition) in pending {
            switch definition {
            case let object as GraphQLObjectType:
                try resolveFields(of: model, object.fields)
                model.interfaces = try object.interfaces.map { (name) throws(GraphQLSchemaError) in try interface(name, of: model) }
            case let interface as GraphQLInterfaceType:
                try resolveFields(of: model, interface.fields)
                model.interfaces = try interface.interfaces.map { (name) throws(GraphQLSchemaError) in try self.interface(name, of: model) }
            case let union as GraphQLUnionType:
                guard !union.types.isEmpty else { throw GraphQLSchemaError("Union type \(union.name) must define one or more member types.") }
                for name in union.types {
                    let member = try self.model(name)
                    guard member.kind == .object else {
                        throw GraphQLSchemaError("Union type \(union.name) can only include Object types, it cannot include \(name).")
                    }
                    model.possibleTypes.append(member)
                }
            case let input as GraphQLInputObjectType:
                model.inputFields = try input.fields.map { (field) throws(GraphQLSchemaError) in
                    try inputValue(field, context: "\(input.name).\(field.name)")
                }
            case let enumeration as GraphQLEnumType:
                guard !enumeration.values.isEmpty else { throw GraphQLSchemaError("Enum type \(enumeration.name) must define one or more values.") }
            default:
                break
            }
        }
        // Possible types of interfaces, in definition order.
        for model in ordered where model.kind == .object {
            for interface in model.interfaces {
                interface.possibleTypes.append(model)
                try checkImplements(model, interface)
            }
        }
        for model in ordered where model.isAbstract {
            model.possibleTypeNames = Set(model.possibleTypes.map(\.name))
        }
        pending.removeAll()
    }

    private func interface(_ name: String, of model: NamedTypeModel) throws(GraphQLSchemaError) -> NamedTypeModel {
        let interface = try self.model(name)
        guard interface.kind == .interface else {
            throw GraphQLSchemaError("Type \(model.name) must only implement Interface types, it cannot implement \(name).")
        }
        return interface
    }

    private func checkImplements(_ object: NamedTypeModel, _ interface: NamedTypeModel) throws(GraphQLSchemaError) {
        for field in interface.fields {
            guard let own = object.field(field.name) else {
                throw GraphQLSchemaError("Interface field \(interface.name).\(field.name) expected but \(object.name) does not provide it.")
            }
            guard own.type.named === field.type.named || field.type.named.isAbstract else {
                throw GraphQLSchemaError("Interface field \(interface.name).\(field.name) expects type \(field.type) but \(object.name).\(field.name) is type \(own.type).")
            }
        }
    }

    private func resolveFields(of model: NamedTypeModel, _ fields: [GraphQLField]) throws(GraphQLSchemaError) {
        guard !fields.isEmpty else { throw GraphQLSchemaError("Type \(model.name) must define one or more fields.") }
        for field in fields {
            guard isValidName(field.name), !field.name.hasPrefix("__") else {
                throw GraphQLSchemaError("Field \(model.name).\(field.name) has an invalid name.")
            }
            guard model.fieldsByName[field.name] == nil else {
                throw GraphQLSchemaError("Field \(model.name).\(field.name) is defined more than once.")
            }
            let type = try typeRef(field.type)
            guard type.named.isOutputType else {
                throw GraphQLSchemaError("The type of \(model.name).\(field.name) must be Output Type but got: \(field.type).")
            }
            let fieldModel = FieldModel(
                name: field.name, parent: model.name, description: field.description,
                deprecationReason: field.deprecationReason, resolver: field.resolver, type: type
            )
            fieldModel.arguments = try field.arguments.map { (argument) throws(GraphQLSchemaError) in
                try inputValue(argument, context: "\(model.name).\(field.name)(\(argument.name):)")
            }
            model.fields.append(fieldModel)
            model.fieldsByName[field.name] = fieldModel
        }
    }

    private func inputValue(_ argument: GraphQLArgument, context: String) throws(GraphQLSchemaError) -> InputValueModel {
        let type = try typeRef(argument.type)
        guard type.named.isInputType else {
            throw GraphQLSchemaError("The type of \(context) must be Input Type but got: \(argument.type).")
        }
        return InputValueModel(
            name: argument.name, description: argument.description, type: type,
            defaultValue: argument.defaultValue, deprecationReason: argument.deprecationReason
        )
    }

    package func typeRef(_ reference: GraphQLTypeReference) throws(GraphQLSchemaError) -> TypeRef {
        switch reference {
        case .named(let name): return .named(try model(name))
        case .list(let inner): return .list(try typeRef(inner))
        case .nonNull(let inner):
            if case .nonNull = inner { throw GraphQLSchemaError("Type \(reference) wraps non-null twice.") }
            return .nonNull(try typeRef(inner))
        }
    }

    /// `@include`, `@skip`, `@deprecated` and `@specifiedBy`.
    package func builtinDirectives() throws(GraphQLSchemaError) -> [DirectiveModel] {
        let boolean = try model("Boolean")
        let string = try model("String")
        let fieldLocations = ["FIELD", "FRAGMENT_SPREAD", "INLINE_FRAGMENT"]
        return [
            DirectiveModel(
                name: "include", description: "Directs the executor to include this field or fragment only when the `if` argument is true.",
                locations: fieldLocations,
                arguments: [InputValueModel(name: "if", description: "Included when true.", type: .nonNull(.named(boolean)), defaultValue: nil, deprecationReason: nil)],
                isRepeatable: false
            ),
            DirectiveModel(
                name: "skip", description: "Directs the executor to skip this field or fragment when the `if` argument is true.",
                locations: fieldLocations,
                arguments: [InputValueModel(name: "if", description: "Skipped when true.", type: .nonNull(.named(boolean)), defaultValue: nil, deprecationReason: nil)],
                isRepeatable: false
            ),
            DirectiveModel(
                name: "deprecated", description: "Marks an element of a GraphQL schema as no longer supported.",
                locations: ["FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INPUT_FIELD_DEFINITION", "ENUM_VALUE"],
                arguments: [InputValueModel(
                    name: "reason",
                    description: "Explains why this element was deprecated, usually also including a suggestion for how to access supported similar data. Formatted using the Markdown syntax, as specified by [CommonMark](https://commonmark.org/).",
                    type: .named(string), defaultValue: .string("No longer supported"), deprecationReason: nil
                )],
                isRepeatable: false
            ),
            DirectiveModel(
                name: "specifiedBy", description: "Exposes a URL that specifies the behavior of this scalar.",
                locations: ["SCALAR"],
                arguments: [InputValueModel(name: "url", description: "The URL that specifies the behavior of this scalar.", type: .nonNull(.named(string)), defaultValue: nil, deprecationReason: nil)],
                isRepeatable: false
            ),
        ]
    }
}

/// Whether `name` matches `/[_A-Za-z][_0-9A-Za-z]*/`.
package func isValidName(_ name: String) -> Bool {
    var first = true
    for byte in name.utf8 {
        let isLetter = (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95
        let isDigit = byte >= 48 && byte <= 57
        guard isLetter || (!first && isDigit) else { return false }
        first = false
    }
    return !first
}
