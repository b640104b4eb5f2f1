/// Spec 5.5.1.1: fragment names are unique (located at the names, as graphql-js does).
struct UniqueFragmentNamesRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        var seen: [String: SourcePosition] = [:]
        for definition in context.document.definitions {
            guard case .fragment(let fragment) = definition else { continue }
            if let first = seen[fragment.name] {
                context.report("There can be only one fragment named \"\(fragment.name)\".", [first, fragment.namePosition])
            } else {
                seen[fragment.name] = fragment.namePosition
            }
        }
    }
}
