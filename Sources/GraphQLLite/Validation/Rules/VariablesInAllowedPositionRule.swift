/// Spec 5.8.5: a variable's type fits every position it is used in.
struct VariablesInAllowedPositionRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        for (operation, scope) in zip(context.document.operations, context.operationScopes) {
            if operation.variables.isEmpty, scope.usages.isEmpty, scope.spreads.isEmpty { continue }
            var usages = scope.usages
            for fragment in context.reachableFragments(from: scope) { usages += context.fragmentScopes[fragment]?.usages ?? [] }
            for usage in usages {
                // A name defined twice: the last definition, as graphql-js (its map keeps the last).
                guard let locationType = usage.type,
                      let definition = operation.variables.last(where: { $0.name == usage.name }),
                      let variableType = context.schema.typeRef(definition.type) else { continue }
                let hasDefault = definition.defaultValue.map { if case .null = $0.kind { false } else { true } } ?? false
                if !allowed(variableType, hasDefault: hasDefault, locationType, locationHasDefault: usage.hasLocationDefault, context.schema) {
                    context.report(
                        "Variable \"$\(usage.name)\" of type \"\(variableType)\" used in position expecting type \"\(locationType)\".",
                        [definition.position, usage.position]
                    )
                }
            }
        }
    }

    private static func allowed(_ variableType: TypeRef, hasDefault: Bool, _ locationType: TypeRef, locationHasDefault: Bool, _ schema: GraphQLSchema) -> Bool {
        if case .nonNull(let nullableLocation) = locationType, !variableType.isNonNull {
            guard hasDefault || locationHasDefault else { return false }
            return isSubType(variableType, nullableLocation, schema)
        }
        return isSubType(variableType, locationType, schema)
    }

    /// graphql-js `isTypeSubTypeOf`.
    static func isSubType(_ maybeSub: TypeRef, _ superType: TypeRef, _ schema: GraphQLSchema) -> Bool {
        switch (maybeSub, superType) {
        case (.nonNull(let sub), .nonNull(let sup)): return isSubType(sub, sup, schema)
        case (.nonNull(let sub), _): return isSubType(sub, superType, schema)
        case (_, .nonNull): return false
        case (.list(let sub), .list(let sup)): return isSubType(sub, sup, schema)
        case (.list, _), (_, .list): return false
        case (.named(let sub), .named(let sup)): return sub === sup || (sup.isAbstract && schema.isPossibleType(sub, of: sup))
        }
    }
}
