extension InputCoercion {
    /// Coerces a variable's JSON value to its type (spec CoerceVariableValues / graphql-js
    /// `coerceInputValue`); messages name the path inside the value.
    package static func value(_ value: GraphQLValue, _ type: TypeRef, path: [String] = []) throws(Failure) -> GraphQLValue {
        switch type {
        case .nonNull(let inner):
            if value.isNull { throw Failure(message: "Expected non-nullable type \"\(type)\" not to be null.", path: path) }
            return try self.value(value, inner, path: path)
        case .list(let itemType):
            if value.isNull { return .null }
            guard case .list(let items) = value else { return .list([try self.value(value, itemType, path: path)]) }
            var coerced: [GraphQLValue] = []
            coerced.reserveCapacity(items.count)
            for (index, item) in items.enumerated() { coerced.append(try self.value(item, itemType, path: path + [String(index)])) }
            return .list(coerced)
        case .named(let named):
            if value.isNull { return .null }
            switch named.kind {
            case .inputObject:
                guard case .object(let members) = value else {
                    throw Failure(message: "Expected type \"\(named.name)\" to be an object.", path: path)
                }
                var object = GraphQLObject()
                for definition in named.inputFields {
                    if let given = members[definition.name] {
                        object.append(definition.name, try self.value(given, definition.type, path: path + [definition.name]))
                    } else if let defaultValue = definition.defaultValue {
                        object.append(definition.name, defaultValue)
                    } else if definition.type.isNonNull {
                        throw Failure(message: "Field \"\(definition.name)\" of required type \"\(definition.type)\" was not provided.", path: path)
                    }
                }
                for key in members.keys where named.inputField(key) == nil {
                    throw Failure(message: "Field \"\(key)\" is not defined by type \"\(named.name)\".", path: path)
                }
                return .object(object)
            case .enumeration:
                guard case .string(let name) = value, named.enumValue(named: name) != nil else {
                    if case .string(let name) = value {
                        throw Failure(message: "Value \"\(name)\" does not exist in \"\(named.name)\" enum.", path: path)
                    }
                    throw Failure(message: "Enum \"\(named.name)\" cannot represent non-string value: \(value.graphQLDescription).", path: path)
                }
                return value
            case .scalar:
                guard let scalar = named.scalar else { return value }
                do {
                    return try scalar.parseValue(value)
                } catch {
                    throw Failure(message: message(of: error), path: path)
                }
            default:
                return value
            }
        }
    }

    /// Coerces the request's variables for an operation; errors use graphql-js's wording.
    ///
    /// Every variable is checked and all the problems are reported (at most 50, then graphql-js's
    /// "Too many errors processing variables" line), as graphql-js's `coerceVariableValues` does.
    package static func variables(
        _ definitions: [VariableDefinition], _ given: GraphQLObject, schema: GraphQLSchema
    ) -> Result<GraphQLObject, VariableErrors> {
        var coerced = GraphQLObject()
        var errors: [GraphQLError] = []
        for definition in definitions {
            if let error = coerce(definition, given, schema: schema, into: &coerced) {
                guard errors.count < 50 else {
                    errors.append(GraphQLError(
                        "Too many errors processing variables, error limit reached. Execution aborted.", code: "BAD_USER_INPUT"))
                    break
                }
                errors.append(error)
            }
        }
        return errors.isEmpty ? .success(coerced) : .failure(VariableErrors(errors: errors))
    }

    /// Coerces one variable into `coerced`; the error, if it does not fit.
    private static func coerce(
        _ definition: VariableDefinition, _ given: GraphQLObject, schema: GraphQLSchema, into coerced: inout GraphQLObject
    ) -> GraphQLError? {
        guard let type = schema.typeRef(definition.type), type.named.isInputType else {
            return requestError("Variable \"$\(definition.name)\" expected value of type \"\(definition.type)\" which cannot be used as an input type.", definition.position)
        }
        guard let value = given[definition.name] else {
            if let defaultValue = definition.defaultValue {
                do {
                    if let value = try literal(defaultValue, type, variables: nil) { coerced.append(definition.name, value) }
                } catch {
                    return requestError(error.message, definition.position)
                }
            } else if type.isNonNull {
                return requestError("Variable \"$\(definition.name)\" of required type \"\(type)\" was not provided.", definition.position)
            }
            return nil
        }
        if value.isNull, type.isNonNull {
            return requestError("Variable \"$\(definition.name)\" of non-null type \"\(type)\" must not be null.", definition.position)
        }
        do {
            coerced.append(definition.name, try self.value(value, type))
        } catch {
            let at = error.path.isEmpty ? "" : " at \"\(definition.name).\(error.path.joined(separator: "."))\""
            return requestError(
                "Variable \"$\(definition.name)\" got invalid value \(value.graphQLDescription)\(at); \(error.message)",
                definition.position
            )
        }
        return nil
    }

    /// The problems with a request's variables.
    package struct VariableErrors: Error {
        package let errors: [GraphQLError]
    }

    private static func requestError(_ message: String, _ position: SourcePosition) -> GraphQLError {
        GraphQLError(message, code: "BAD_USER_INPUT", locations: [position.location])
    }
}

extension GraphQLSchema {
    /// The schema type a type node names, or `nil` if it names an unknown type.
    package func typeRef(_ node: TypeNode) -> TypeRef? {
        switch node {
        case .named(let name, _): return type(named: name).map { .named($0) }
        case .list(let inner, _): return typeRef(inner).map { .list($0) }
        case .nonNull(let inner, _): return typeRef(inner).map { .nonNull($0) }
        }
    }
}
