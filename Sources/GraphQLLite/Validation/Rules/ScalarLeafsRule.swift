/// Spec 5.3.3: leaf fields have no selection; composite fields have one.
struct ScalarLeafsRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        for fact in context.fields {
            guard let definition = fact.definition else { continue }
            // The common case (leaf without selection, composite with one) binds nothing.
            let isLeaf = definition.type.named.isLeaf
            let hasSelection = fact.node.selectionSet != nil
            if isLeaf == hasSelection, let selectionSet = fact.node.selectionSet {
                context.report(
                    "Field \"\(fact.node.name)\" must not have a selection since type \"\(definition.type)\" has no subfields.",
                    [selectionSet.position]
                )
            } else if isLeaf == hasSelection {
                context.report(
                    "Field \"\(fact.node.name)\" of type \"\(definition.type)\" must have a selection of subfields. Did you mean \"\(fact.node.name) { ... }\"?",
                    [fact.node.position]
                )
            }
        }
    }
}
