/// Spec 5.5.1.2 / 5.8.2: type conditions and variable types name types of the schema.
struct KnownTypeNamesRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        func check(_ name: String, _ position: SourcePosition) {
            guard context.schema.type(named: name) == nil else { return }
            let names = context.schema.orderedTypes.map(\.name)
            context.report("Unknown type \"\(name)\".\(Suggestions.didYouMean(Suggestions.list(name, names)))", [position])
        }
        for definition in context.document.definitions {
            switch definition {
            case .operation(let operation):
                for variable in operation.variables {
                    // The named type inside any list and non-null wrappers (`[Striing!]!` too).
                    var type = variable.type
                    while true {
                        if case .named(let name, let position) = type {
                            check(name, position)
                            break
                        }
                        if case .list(let inner, _) = type { type = inner }
                        if case .nonNull(let inner, _) = type { type = inner }
                    }
                }
            case .fragment(let fragment):
                check(fragment.typeCondition.name, fragment.typeCondition.position)
            }
        }
        for inline in context.inlineFragments {
            if let condition = inline.fragment.typeCondition { check(condition.name, condition.position) }
        }
    }
}
