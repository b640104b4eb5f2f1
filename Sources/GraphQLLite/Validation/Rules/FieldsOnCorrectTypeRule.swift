/// Spec 5.3.1: selected fields exist on the parent type.
///
/// Suggestions as graphql-js 16: on an abstract type, the possible types and interfaces that have
/// the field ("Did you mean to use an inline fragment on \"Person\"?"); otherwise similar field names.
struct FieldsOnCorrectTypeRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        for fact in context.fields where fact.definition == nil {
            guard let parent = fact.parent else { continue }
            let types = suggestedTypeNames(parent, fact.node.name)
            let hint = types.isEmpty
                ? Suggestions.didYouMean(Suggestions.list(fact.node.name, parent.fields.map(\.name)))
                : Suggestions.didYouMean(types, prefix: "to use an inline fragment on ")
            context.report("Cannot query field \"\(fact.node.name)\" on type \"\(parent.name)\".\(hint)", [fact.node.position])
        }
    }

    /// graphql-js's `getSuggestedTypeNames`: the possible types of an abstract `type` that have
    /// `field`, and their interfaces that have it, most used first, interfaces before their
    /// implementations, then by name.
    static func suggestedTypeNames(_ type: NamedTypeModel, _ field: String) -> [String] {
        guard type.isAbstract else { return [] }
        var suggested: [NamedTypeModel] = []
        var usage: [String: Int] = [:]
        for possible in type.possibleTypes where possible.field(field) != nil {
            if usage[possible.name] == nil { suggested.append(possible) }
            usage[possible.name] = 1
            for interface in possible.interfaces where interface.field(field) != nil {
                if usage[interface.name] == nil { suggested.append(interface) }
                usage[interface.name, default: 0] += 1
            }
        }
        func implements(_ type: NamedTypeModel, _ interface: NamedTypeModel) -> Bool {
            type.interfaces.contains { $0 === interface }
        }
        return suggested.sorted { a, b in
            let (countA, countB) = (usage[a.name] ?? 0, usage[b.name] ?? 0)
            if countA != countB { return countA > countB }
            if a.kind == .interface, implements(b, a) { return true }
            if b.kind == .interface, implements(a, b) { return false }
            return a.name < b.name
        }.map(\.name)
    }
}
