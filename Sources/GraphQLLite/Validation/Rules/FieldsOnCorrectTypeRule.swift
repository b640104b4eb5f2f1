/// Spec 5.3.1: selected fields exist on the parent type.
struct FieldsOnCorrectTypeRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        for fact in context.fields where fact.definition == nil {
            guard let parent = fact.parent else { continue }
            let suggestions = Suggestions.list(fact.node.name, parent.fields.map(\.name))
            context.report(
                "Cannot query field \"\(fact.node.name)\" on type \"\(parent.name)\".\(Suggestions.didYouMean(suggestions))",
                [fact.node.position]
            )
        }
    }
}
