/// Spec 5.5.2.1: spread fragments are defined (located at the name after `...`, as graphql-js does).
struct KnownFragmentNamesRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        for fact in context.spreads where context.document.fragments[fact.spread.name] == nil {
            context.report("Unknown fragment \"\(fact.spread.name)\".", [fact.spread.namePosition])
        }
    }
}
