/// Spec 5.4.2.1: required arguments (non-null without default) are given.
struct ProvidedRequiredArgumentsRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        for fact in context.argumentLists {
            let definitions: [InputValueModel]
            switch fact.owner {
            case .field(let field, _): definitions = field.arguments
            case .directive(let directive): definitions = directive.arguments
            }
            for definition in definitions where definition.type.isNonNull && definition.defaultValue == nil {
                guard !fact.arguments.contains(where: { $0.name == definition.name }) else { continue }
                switch fact.owner {
                case .field(let field, _):
                    context.report(
                        "Field \"\(field.name)\" argument \"\(definition.name)\" of type \"\(definition.type)\" is required, but it was not provided.",
                        [fact.position]
                    )
                case .directive(let directive):
                    context.report(
                        "Directive \"@\(directive.name)\" argument \"\(definition.name)\" of type \"\(definition.type)\" is required, but it was not provided.",
                        [fact.position]
                    )
                }
            }
        }
    }
}
