/// Spec 5.8.3: every variable used (also in reached fragments) is defined by the operation.
struct NoUndefinedVariablesRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        for (operation, scope) in zip(context.document.operations, context.operationScopes) {
            if operation.variables.isEmpty, scope.usages.isEmpty, scope.spreads.isEmpty { continue }
            let defined = Set(operation.variables.map(\.name))
            var usages = scope.usages
            for fragment in context.reachableFragments(from: scope) { usages += context.fragmentScopes[fragment]?.usages ?? [] }
            // Every use is reported, as graphql-js does (each reached fragment counts once).
            for usage in usages where !defined.contains(usage.name) {
                let message = operation.name.map { "Variable \"$\(usage.name)\" is not defined by operation \"\($0)\"." }
                    ?? "Variable \"$\(usage.name)\" is not defined."
                context.report(message, [usage.position, operation.position])
            }
        }
    }
}
