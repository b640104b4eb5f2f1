/// Input coercion (spec §6.1.2 and §6.4.1): variables from JSON, arguments from literals.
package enum InputCoercion {
    /// A coercion failure: a graphql-js style message, and for a variable the path inside the
    /// value (`.field` and `[index]` segments) and the invalid value found there.
    package struct Failure: Error {
        package var message: String
        package var path: [String] = []
        package var position: SourcePosition?
        package var value: GraphQLValue?
    }

    // MARK: Literals

    /// The value of a literal for `type`, substituting variables; `nil` means "undefined" (a
    /// missing variable). Throws on a literal that does not fit the type.
    package static func literal(
        _ node: ValueNode, _ type: TypeRef, variables: GraphQLObject?
    ) throws(Failure) -> GraphQLValue? {
        if case .variable(let name) = node.kind {
            guard let variables, let value = variables[name] else { return nil }
            if value.isNull, type.isNonNull {
                throw Failure(message: "Expected value of type \"\(type)\", found null.", position: node.position)
            }
            return value
        }
        switch type {
        case .nonNull(let inner):
            if case .null = node.kind {
                throw Failure(message: "Expected value of type \"\(type)\", found null.", position: node.position)
            }
            guard let value = try literal(node, inner, variables: variables) else {
                throw Failure(message: "Expected value of type \"\(type)\", found \(print(node)).", position: node.position)
            }
            return value
        case .list(let itemType):
            if case .null = node.kind { return .null }
            guard case .list(let items) = node.kind else {
                guard let single = try literal(node, itemType, variables: variables) else { return nil }
                return .list([single])
            }
            var values: [GraphQLValue] = []
            values.reserveCapacity(items.count)
            for item in items {
                if let value = try literal(item, itemType, variables: variables) {
                    values.append(value)
                } else if itemType.isNonNull {
                    throw Failure(message: "Expected value of type \"\(itemType)\", found \(print(item)).", position: item.position)
                } else {
                    values.append(.null)
                }
            }
            return .list(values)
        case .named(let named):
            if case .null = node.kind { return .null }
            switch named.kind {
            case .inputObject: return try inputObjectLiteral(node, named, variables: variables)
            case .enumeration:
                guard case .enumValue(let name) = node.kind else {
                    throw Failure(message: "Enum \"\(named.name)\" cannot represent non-enum value: \(print(node)).", position: node.position)
                }
                guard named.enumValue(named: name) != nil else {
                    throw Failure(message: "Value \"\(name)\" does not exist in \"\(named.name)\" enum.", position: node.position)
                }
                return .string(name)
            case .scalar:
                return try scalarLiteral(node, named, variables: variables)
            default:
                throw Failure(message: "Expected value of type \"\(type)\", found \(print(node)).", position: node.position)
            }
        }
    }

    private static func inputObjectLiteral(
        _ node: ValueNode, _ type: NamedTypeModel, variables: GraphQLObject?
    ) throws(Failure) -> GraphQLValue {
        guard case .object(let fields) = node.kind else {
            throw Failure(message: "Expected value of type \"\(type.name)\", found \(print(node)).", position: node.position)
        }
        for field in fields where type.inputField(field.name) == nil {
            throw Failure(message: "Field \"\(field.name)\" is not defined by type \"\(type.name)\".", position: field.position)
        }
        var object = GraphQLObject()
        for definition in type.inputFields {
            let given = fields.first { $0.name == definition.name }
            if let given, let value = try literal(given.value, definition.type, variables: variables) {
                object.append(definition.name, value)
            } else if let defaultValue = definition.defaultValue {
                object.append(definition.name, defaultValue)
            } else if definition.type.isNonNull {
                throw Failure(
                    message: "Field \"\(type.name).\(definition.name)\" of required type \"\(definition.type)\" was not provided.",
                    position: given?.value.position ?? node.position
                )
            }
        }
        return .object(object)
    }

    private static func scalarLiteral(
        _ node: ValueNode, _ type: NamedTypeModel, variables: GraphQLObject?
    ) throws(Failure) -> GraphQLValue? {
        guard let scalar = type.scalar else { return nil }
        if let builtin = scalar.builtin {
            // Built-ins look at the literal's kind: an enum literal is not a String.
            let value: GraphQLValue
            switch (builtin, node.kind) {
            case (.id, .int(let text)):
                // Any integer literal, as written (graphql-js: `valueNode.value`), not only an Int's range.
                value = .string(text)
            case (.int, .int(let text)):
                guard let int = Int(text), int >= Int(Int32.min), int <= Int(Int32.max) else {
                    throw Failure(message: "Int cannot represent non 32-bit signed integer value: \(text)", position: node.position)
                }
                value = .int(int)
            case (.float, .int(let text)), (.float, .float(let text)):
                guard let double = Double(text), double.isFinite else {
                    throw Failure(message: "Float cannot represent non numeric value: \(text)", position: node.position)
                }
                value = .float(double)
            case (.string, .string(let text)), (.id, .string(let text)): value = .string(text)
            case (.boolean, .boolean(let bool)): value = .bool(bool)
            default:
                let name = ["String", "Int", "Float", "Boolean", "ID"][[GraphQLScalarType.Builtin.string, .int, .float, .boolean, .id].firstIndex(of: builtin) ?? 0]
                let message: String = switch builtin {
                case .string: "String cannot represent a non string value: \(print(node))"
                case .int: "Int cannot represent non-integer value: \(print(node))"
                case .float: "Float cannot represent non numeric value: \(print(node))"
                case .boolean: "Boolean cannot represent a non boolean value: \(print(node))"
                case .id: "ID cannot represent a non-string and non-integer value: \(print(node))"
                }
                _ = name
                throw Failure(message: message, position: node.position)
            }
            do {
                return try scalar.parseValue(value)
            } catch {
                throw Failure(message: message(of: error), position: node.position)
            }
        }
        let raw = try plainValue(node, variables: variables)
        do {
            return try scalar.parseValue(raw)
        } catch {
            throw Failure(message: message(of: error), position: node.position)
        }
    }

    /// A literal as a plain value (enum literals become strings), for custom scalars such as JSON.
    private static func plainValue(_ node: ValueNode, variables: GraphQLObject?) throws(Failure) -> GraphQLValue {
        switch node.kind {
        case .variable(let name): return variables?[name] ?? .null
        case .int(let text):
            if let int = Int(text) { return .int(int) }
            return .float(Double(text) ?? 0)
        case .float(let text): return .float(Double(text) ?? 0)
        case .string(let text), .enumValue(let text): return .string(text)
        case .boolean(let bool): return .bool(bool)
        case .null: return .null
        case .list(let items):
            var values: [GraphQLValue] = []
            for item in items { values.append(try plainValue(item, variables: variables)) }
            return .list(values)
        case .object(let fields):
            var object = GraphQLObject()
            for field in fields { object[field.name] = try plainValue(field.value, variables: variables) }
            return .object(object)
        }
    }

    package static func message(of error: any Error) -> String {
        if let error = error as? GraphQLError { return error.message }
        if let error = error as? any GraphQLErrorConvertible { return error.graphQLError.message }
        return String(describing: error)
    }

    /// A literal printed as GraphQL (as graphql-js's `print` does in messages).
    package static func print(_ node: ValueNode) -> String {
        switch node.kind {
        case .variable(let name): "$" + name
        case .int(let text), .float(let text): text
        case .string(let text): GraphQLValue.string(text).jsonString()
        case .boolean(let bool): bool ? "true" : "false"
        case .null: "null"
        case .enumValue(let name): name
        case .list(let items): "[" + items.map(print).joined(separator: ", ") + "]"
        case .object(let fields): "{" + fields.map { "\($0.name): \(print($0.value))" }.joined(separator: ", ") + "}"
        }
    }
}
