/// Writes a schema as SDL the way graphql-js's `printSchema` does: built-in scalars and
/// introspection types left out, one field per line, descriptions as (block) strings.
package enum SDLPrinter {
    package static func print(_ schema: GraphQLSchema) -> String {
        var blocks: [String] = []
        let standardRoots = schema.queryType.name == "Query"
            && (schema.mutationType?.name ?? "Mutation") == "Mutation"
            && (schema.subscriptionType?.name ?? "Subscription") == "Subscription"
        if !standardRoots {
            var lines = ["schema {", "  query: \(schema.queryType.name)"]
            if let mutation = schema.mutationType { lines.append("  mutation: \(mutation.name)") }
            if let subscription = schema.subscriptionType { lines.append("  subscription: \(subscription.name)") }
            lines.append("}")
            blocks.append(lines.joined(separator: "\n"))
        }
        for type in schema.orderedTypes where !type.isIntrospection && !(type.scalar?.builtin != nil) {
            blocks.append(print(type))
        }
        return blocks.joined(separator: "\n\n")
    }

    static func print(_ type: NamedTypeModel) -> String {
        var text = description(type.description, indent: "")
        switch type.kind {
        case .scalar:
            text += "scalar \(type.name)"
            if let url = type.scalar?.specifiedByURL { text += " @specifiedBy(url: \(GraphQLValue.string(url).jsonString()))" }
        case .object, .interface:
            text += (type.kind == .object ? "type " : "interface ") + type.name
            if !type.interfaces.isEmpty { text += " implements " + type.interfaces.map(\.name).joined(separator: " & ") }
            text += " {\n"
            for (index, field) in type.fields.enumerated() {
                text += description(field.description, indent: "  ", first: index == 0)
                text += "  \(field.name)\(arguments(field.arguments)): \(field.type)\(deprecated(field.deprecationReason))\n"
            }
            text += "}"
        case .union:
            text += "union \(type.name) = " + type.possibleTypes.map(\.name).joined(separator: " | ")
        case .enumeration:
            text += "enum \(type.name) {\n"
            for (index, value) in type.enumValues.enumerated() {
                text += description(value.description, indent: "  ", first: index == 0)
                text += "  \(value.name)\(deprecated(value.deprecationReason))\n"
            }
            text += "}"
        case .inputObject:
            text += "input \(type.name) {\n"
            for (index, field) in type.inputFields.enumerated() {
                text += description(field.description, indent: "  ", first: index == 0)
                text += "  " + inputValue(field) + "\n"
            }
            text += "}"
        }
        return text
    }

    private static func arguments(_ arguments: [InputValueModel]) -> String {
        guard !arguments.isEmpty else { return "" }
        if arguments.allSatisfy({ $0.description == nil }) {
            return "(" + arguments.map(inputValue).joined(separator: ", ") + ")"
        }
        var text = "(\n"
        for (index, argument) in arguments.enumerated() {
            text += description(argument.description, indent: "    ", first: index == 0)
            text += "    " + inputValue(argument) + "\n"
        }
        return text + "  )"
    }

    private static func inputValue(_ value: InputValueModel) -> String {
        var text = "\(value.name): \(value.type)"
        if let defaultValue = value.defaultValue { text += " = " + literal(defaultValue, value.type) }
        return text + deprecated(value.deprecationReason)
    }

    private static func deprecated(_ reason: String?) -> String {
        guard let reason else { return "" }
        if reason == "No longer supported" { return " @deprecated" }
        return " @deprecated(reason: \(GraphQLValue.string(reason).jsonString()))"
    }

    private static func description(_ description: String?, indent: String, first: Bool = true) -> String {
        guard let description else { return "" }
        let prefix = (indent.isEmpty || first) ? "" : "\n"
        if !description.contains("\n"), description.count < 70, !description.hasSuffix("\"") {
            return prefix + indent + GraphQLValue.string(description).jsonString() + "\n"
        }
        let body = description.replacingTripleQuotes().split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : indent + $0 }.joined(separator: "\n")
        return prefix + indent + "\"\"\"\n" + body + "\n" + indent + "\"\"\"\n"
    }

    /// An input value as a GraphQL literal of `type`: enum values bare, strings quoted.
    package static func literal(_ value: GraphQLValue, _ type: TypeRef) -> String {
        switch (value, type) {
        case (_, .nonNull(let inner)): return literal(value, inner)
        case (.null, _): return "null"
        case (.list(let items), .list(let itemType)): return "[" + items.map { literal($0, itemType) }.joined(separator: ", ") + "]"
        case (_, .list(let itemType)): return literal(value, itemType)
        case (.string(let name), .named(let named)) where named.kind == .enumeration: return name
        case (.object(let object), .named(let named)) where named.kind == .inputObject:
            return "{" + zip(object.keys, object.values).map { key, member in
                let memberType = named.inputField(key)?.type ?? .named(named)
                return "\(key): \(literal(member, memberType))"
            }.joined(separator: ", ") + "}"
        default: return value.graphQLDescription
        }
    }
}

extension GraphQLSchema {
    /// The schema in SDL, as graphql-js's `printSchema` writes it (built-in scalars and
    /// introspection types left out; one field per line).
    public var sdl: String { SDLPrinter.print(self) }
}

extension String {
    fileprivate func replacingTripleQuotes() -> String {
        var result = ""
        var quotes = 0
        for character in self {
            if character == "\"" {
                quotes += 1
                if quotes == 3 {
                    result += "\\\"\"\""
                    quotes = 0
                }
            } else {
                result += String(repeating: "\"", count: quotes) + String(character)
                quotes = 0
            }
        }
        return result + String(repeating: "\"", count: quotes)
    }
}
