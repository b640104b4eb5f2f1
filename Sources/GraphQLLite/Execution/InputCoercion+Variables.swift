extension InputCoercion {
    /// Coerces a variable's JSON value to its type (spec CoerceVariableValues / graphql-js
    /// `coerceInputValue`), reporting every problem inside the value to `errors`, each with its
    /// path (graphql-js's `.field` and `[index]` segments) and the invalid value at that path.
    package static func value(
        _ value: GraphQLValue, _ type: TypeRef, path: [String] = [], errors: inout [Failure]
    ) -> GraphQLValue {
        func fail(_ message: String) -> GraphQLValue {
            errors.append(Failure(message: message, path: path, value: value))
            return .null
        }
        switch type {
        case .nonNull(let inner):
            if value.isNull { return fail("Expected non-nullable type \"\(type)\" not to be null.") }
            return self.value(value, inner, path: path, errors: &errors)
        case .list(let itemType):
            if value.isNull { return .null }
            guard case .list(let items) = value else { return .list([self.value(value, itemType, path: path, errors: &errors)]) }
            var coerced: [GraphQLValue] = []
            coerced.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                coerced.append(self.value(item, itemType, path: path + ["[\(index)]"], errors: &errors))
            }
            return .list(coerced)
        case .named(let named):
            if value.isNull { return .null }
            switch named.kind {
            case .inputObject:
                guard case .object(let members) = value else { return fail("Expected type \"\(named.name)\" to be an object.") }
                var object = GraphQLObject()
                for definition in named.inputFields {
                    if let given = members[definition.name] {
                        object.append(
                            definition.name, self.value(given, definition.type, path: path + [".\(definition.name)"], errors: &errors))
                    } else if let defaultValue = definition.defaultValue {
                        object.append(definition.name, defaultValue)
                    } else if definition.type.isNonNull {
                        _ = fail("Field \"\(definition.name)\" of required type \"\(definition.type)\" was not provided.")
                    }
                }
                for key in members.keys where named.inputField(key) == nil {
                    let suggestions = Suggestions.list(key, named.inputFields.map(\.name))
                    _ = fail("Field \"\(key)\" is not defined by type \"\(named.name)\".\(Suggestions.didYouMean(suggestions))")
                }
                return .object(object)
            case .enumeration:
                let names = named.enumValues.map(\.name)
                guard case .string(let name) = value else {
                    let text = value.graphQLDescription
                    let hint = Suggestions.didYouMean(Suggestions.list(text, names), prefix: "the enum value ")
                    return fail("Enum \"\(named.name)\" cannot represent non-string value: \(text).\(hint)")
                }
                guard named.enumValue(named: name) != nil else {
                    let hint = Suggestions.didYouMean(Suggestions.list(name, names), prefix: "the enum value ")
                    return fail("Value \"\(name)\" does not exist in \"\(named.name)\" enum.\(hint)")
                }
                return value
            case .scalar:
                guard let scalar = named.scalar else { return value }
                do {
                    return try scalar.parseValue(value)
                } catch {
                    return fail(message(of: error))
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
        coercion: for definition in definitions {
            for error in coerce(definition, given, schema: schema, into: &coerced) {
                guard errors.count < 50 else {
                    errors.append(GraphQLError(
                        "Too many errors processing variables, error limit reached. Execution aborted.", code: "BAD_USER_INPUT"))
                    break coercion
                }
                errors.append(error)
            }
        }
        return errors.isEmpty ? .success(coerced) : .failure(VariableErrors(errors: errors))
    }

    /// Coerces one variable into `coerced`; the errors, if it does not fit.
    private static func coerce(
        _ definition: VariableDefinition, _ given: GraphQLObject, schema: GraphQLSchema, into coerced: inout GraphQLObject
    ) -> [GraphQLError] {
        guard let type = schema.typeRef(definition.type), type.named.isInputType else {
            return [requestError("Variable \"$\(definition.name)\" expected value of type \"\(definition.type)\" which cannot be used as an input type.", definition.position)]
        }
        guard let value = given[definition.name] else {
            if let defaultValue = definition.defaultValue {
                do {
                    if let value = try literal(defaultValue, type, variables: nil) { coerced.append(definition.name, value) }
                } catch {
                    return [requestError(error.message, definition.position)]
                }
            } else if type.isNonNull {
                return [requestError("Variable \"$\(definition.name)\" of required type \"\(type)\" was not provided.", definition.position)]
            }
            return []
        }
        if value.isNull, type.isNonNull {
            return [requestError("Variable \"$\(definition.name)\" of non-null type \"\(type)\" must not be null.", definition.position)]
        }
        var failures: [Failure] = []
        let result = self.value(value, type, errors: &failures)
        guard !failures.isEmpty else {
            coerced.append(definition.name, result)
            return []
        }
        // As graphql-js: one error per problem, naming the invalid value where it is.
        return failures.map { failure in
            let at = failure.path.isEmpty ? "" : " at \"\(definition.name)\(failure.path.joined())\""
            let invalid = (failure.value ?? value).graphQLDescription
            return requestError(
                "Variable \"$\(definition.name)\" got invalid value \(invalid)\(at); \(failure.message)", definition.position)
        }
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
