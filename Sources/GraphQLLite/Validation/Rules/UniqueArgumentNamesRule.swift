/// Spec 5.4.2: an argument is given at most once.
struct UniqueArgumentNamesRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        var lists: [[Argument]] = context.fields.map(\.node.arguments)
        for fact in context.directiveLists { lists += fact.directives.map(\.arguments) }
        for arguments in lists where arguments.count > 1 {
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
