/// Spec 5.6.1: literal values fit the type of their position (variables are checked elsewhere).
struct ValuesOfCorrectTypeRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        for fact in context.values { check(fact.value, fact.type, context) }
    }

    private static func check(_ node: ValueNode, _ type: TypeRef, _ context: ValidationContext) {
        if case .variable = node.kind { return }
        switch type {
        case .nonNull(let inner):
            if case .null = node.kind {
                context.report("Expected value of type \"\(type)\", found null.", [node.position])
                return
            }
            check(node, inner, context)
        case .list(let itemType):
            if case .list(let items) = node.kind {
                for item in items { check(item, itemType, context) }
            } else if case .null = node.kind {
                return  // null fits a nullable list; it is not a list of one null item
            } else {
                check(node, itemType, context)
            }
        case .named(let named):
            if case .null = node.kind { return }
            switch named.kind {
            case .inputObject:
                guard case .object(let fields) = node.kind else {
                    context.report("Expected value of type \"\(named.name)\", found \(InputCoercion.print(node)).", [node.position])
                    return
                }
                for field in fields {
                    if let definition = named.inputField(field.name) {
                        check(field.value, definition.type, context)
                    } else {
                        let suggestions = Suggestions.list(field.name, named.inputFields.map(\.name))
                        context.report(
                            "Field \"\(field.name)\" is not defined by type \"\(named.name)\".\(Suggestions.didYouMean(suggestions))",
                            [field.position]
                        )
                    }
                }
                for definition in named.inputFields where definition.type.isNonNull && definition.defaultValue == nil {
                    if !fields.contains(where: { $0.name == definition.name }) {
                        context.report(
                            "Field \"\(named.name).\(definition.name)\" of required type \"\(definition.type)\" was not provided.",
                            [node.position]
                        )
                    }
                }
            case .enumeration:
                guard case .enumValue(let name) = node.kind else {
                    let names = named.enumValues.map(\.name)
                    var hint = ""
                    if case .string(let text) = node.kind {
                        hint = Suggestions.didYouMean(Suggestions.list(text, names), prefix: "the enum value ")
                    }
                    context.report("Enum \"\(named.name)\" cannot represent non-enum value: \(InputCoercion.print(node)).\(hint)", [node.position])
                    return
                }
                if named.enumValue(named: name) == nil {
                    let hint = Suggestions.didYouMean(Suggestions.list(name, named.enumValues.map(\.name)), prefix: "the enum value ")
                    context.report("Value \"\(name)\" does not exist in \"\(named.name)\" enum.\(hint)", [node.position])
                }
            case .scalar:
                // A built-in scalar's own message for a list or object too ("Int cannot represent
                // non-integer value: [1]"), as graphql-js's parseLiteral reports it.
                do {
                    // Variables inside a custom scalar's literal are substituted at execution.
                    _ = try InputCoercion.literal(node, .named(named), variables: containsVariable(node) ? nil : GraphQLObject())
                } catch {
                    context.report(error.message, [error.position ?? node.position])
                }
            default:
                context.report("Expected value of type \"\(type)\", found \(InputCoercion.print(node)).", [node.position])
            }
        }
    }

    private static func containsVariable(_ node: ValueNode) -> Bool {
        switch node.kind {
        case .variable: true
        case .list(let items): items.contains(where: containsVariable)
        case .object(let fields): fields.contains { containsVariable($0.value) }
        default: false
        }
    }
}
