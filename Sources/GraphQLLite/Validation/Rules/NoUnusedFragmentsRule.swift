/// Spec 5.5.1.4: every fragment is used by some operation.
struct NoUnusedFragmentsRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        guard context.document.operations.count != context.document.definitions.count else { return }
        var used: Set<String> = []
        for scope in context.operationScopes { used.formUnion(context.reachableFragments(from: scope)) }
        for definition in context.document.definitions {
            guard case .fragment(let fragment) = definition, !used.contains(fragment.name) else { continue }
            context.report("Fragment \"\(fragment.name)\" is never used.", [fragment.position])
        }
    }
}
