/// Spec 5.8.4: every variable an operation defines is used (also in reached fragments).
struct NoUnusedVariablesRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        for (operation, scope) in zip(context.document.operations, context.operationScopes) {
            if operation.variables.isEmpty, scope.usages.isEmpty, scope.spreads.isEmpty { continue }
            var used = Set(scope.usages.map(\.name))
            for fragment in context.reachableFragments(from: scope) {
                used.formUnion((context.fragmentScopes[fragment]?.usages ?? []).map(\.name))
            }
            for variable in operation.variables where !used.contains(variable.name) {
                let message = operation.name.map { "Variable \"$\(variable.name)\" is never used in operation \"\($0)\"." }
                    ?? "Variable \"$\(variable.name)\" is never used."
                context.report(message, [variable.position])
            }
        }
    }
}
