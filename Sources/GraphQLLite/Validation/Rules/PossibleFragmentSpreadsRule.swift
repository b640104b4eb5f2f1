/// Spec 5.5.2.3: a fragment can apply where it is spread.
struct PossibleFragmentSpreadsRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        let schema = context.schema
        func overlaps(_ a: NamedTypeModel, _ b: NamedTypeModel) -> Bool {
            let possibleA = Set(schema.possibleTypes(of: a).map(\.name))
            return schema.possibleTypes(of: b).contains { possibleA.contains($0.name) }
        }
        for fact in context.inlineFragments {
            guard let parent = fact.parent, let condition = fact.fragment.typeCondition,
                  let type = schema.type(named: condition.name), type.isComposite, !overlaps(parent, type) else { continue }
            context.report(
                "Fragment cannot be spread here as objects of type \"\(parent.name)\" can never be of type \"\(type.name)\".",
                [fact.fragment.position]
            )
        }
        for fact in context.spreads {
            guard let parent = fact.parent, let fragment = context.document.fragments[fact.spread.name],
                  let type = schema.type(named: fragment.typeCondition.name), type.isComposite, !overlaps(parent, type) else { continue }
            context.report(
                "Fragment \"\(fact.spread.name)\" cannot be spread here as objects of type \"\(parent.name)\" can never be of type \"\(type.name)\".",
                [fact.spread.position]
            )
        }
    }
}
