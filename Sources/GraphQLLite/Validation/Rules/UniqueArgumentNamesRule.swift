/// Spec 5.4.2: an argument is given at most once.
struct UniqueArgumentNamesRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        for fact in context.fields where fact.node.arguments.count > 1 { check(fact.node.arguments, context) }
        for fact in context.directiveLists {
            for directive in fact.directives where directive.arguments.count > 1 { check(directive.arguments, context) }
        }
    }

    private static func check(_ arguments: [Argument], _ context: ValidationContext) {
        do {
            var seen: [String: SourcePosition] = [:]
            for argument in arguments {
                if let first = seen[argument.name] {
                    context.report("There can be only one argument named \"\(argument.name)\".", [first, argument.position])
                } else {
                    seen[argument.name] = argument.position
                }
            }
        }
    }
}
