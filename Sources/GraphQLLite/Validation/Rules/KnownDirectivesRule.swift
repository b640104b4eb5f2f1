/// Spec 5.7.1 / 5.7.2: directives are defined and used in valid locations.
struct KnownDirectivesRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        for fact in context.directiveLists {
            for directive in fact.directives {
                guard let definition = context.schema.directive(named: directive.name) else {
                    context.report("Unknown directive \"@\(directive.name)\".", [directive.position])
                    continue
                }
                if !definition.locations.contains(fact.location) {
                    context.report("Directive \"@\(directive.name)\" may not be used on \(fact.location).", [directive.position])
                }
            }
        }
    }
}
