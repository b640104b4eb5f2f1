/// Spec 5.5.1.3: fragments condition on objects, interfaces or unions.
struct FragmentsOnCompositeTypesRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        for definition in context.document.definitions {
            guard case .fragment(let fragment) = definition,
                  let type = context.schema.type(named: fragment.typeCondition.name), !type.isComposite else { continue }
            context.report(
                "Fragment \"\(fragment.name)\" cannot condition on non composite type \"\(type.name)\".",
                [fragment.typeCondition.position]
            )
        }
        for inline in context.inlineFragments {
            guard let condition = inline.fragment.typeCondition,
                  let type = context.schema.type(named: condition.name), !type.isComposite else { continue }
            context.report("Fragment cannot condition on non composite type \"\(type.name)\".", [condition.position])
        }
    }
}
