/// Spec 5.7.3: a non-repeatable directive appears at most once per location.
struct UniqueDirectivesPerLocationRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        for fact in context.directiveLists where fact.directives.count > 1 {
            var seen: [String: SourcePosition] = [:]
            for directive in fact.directives {
                guard let definition = context.schema.directive(named: directive.name), !definition.isRepeatable else { continue }
                if let first = seen[directive.name] {
                    context.report("The directive \"@\(directive.name)\" can only be used once at this location.", [first, directive.position])
                } else {
                    seen[directive.name] = directive.position
                }
            }
        }
    }
}
