/// Spec 5.4.1: arguments are defined by the field or directive.
struct KnownArgumentNamesRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        for fact in context.argumentLists {
            for argument in fact.arguments {
                switch fact.owner {
                case .field(let field, let parent):
                    guard field.argument(argument.name) == nil else { continue }
                    let suggestions = Suggestions.list(argument.name, field.arguments.map(\.name))
                    context.report(
                        "Unknown argument \"\(argument.name)\" on field \"\(parent.name).\(field.name)\".\(Suggestions.didYouMean(suggestions))",
                        [argument.position]
                    )
                case .directive(let directive):
                    guard !directive.arguments.contains(where: { $0.name == argument.name }) else { continue }
                    let suggestions = Suggestions.list(argument.name, directive.arguments.map(\.name))
                    context.report(
                        "Unknown argument \"\(argument.name)\" on directive \"@\(directive.name)\".\(Suggestions.didYouMean(suggestions))",
                        [argument.position]
                    )
                }
            }
        }
    }
}
