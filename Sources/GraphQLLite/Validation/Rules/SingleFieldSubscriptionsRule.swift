/// Spec 5.2.3.1: a subscription operation selects exactly one root field, and not an
/// introspection field (`__typename`, `__schema`, `__type`): its one field is the event source.
struct SingleFieldSubscriptionsRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        let document = context.document
        for operation in document.operations where operation.operation == .subscription {
            var fields: [FieldNode] = []
            var visited: Set<String> = []
            collect(operation.selectionSet, document, &fields, &visited)
            let name = operation.name.map { "Subscription \"\($0)\"" } ?? "Anonymous Subscription"
            var keys: [String] = []
            for field in fields where !keys.contains(field.responseKey) { keys.append(field.responseKey) }
            if keys.count > 1 {
                let extra = fields.filter { $0.responseKey != keys[0] }.map(\.position)
                context.report("\(name) must select only one top level field.", extra)
            }
            for field in fields where field.name.hasPrefix("__") {
                context.report("\(name) must not select an introspection top level field.", [field.position])
            }
        }
    }

    /// The root fields of a selection set, through fragments (each fragment once).
    private static func collect(_ set: SelectionSet, _ document: GraphQLDocument, _ fields: inout [FieldNode], _ visited: inout Set<String>) {
        for selection in set.selections {
            switch selection {
            case .field(let field): fields.append(field)
            case .inlineFragment(let fragment): collect(fragment.selectionSet, document, &fields, &visited)
            case .fragmentSpread(let spread):
                guard visited.insert(spread.name).inserted, let fragment = document.fragments[spread.name] else { continue }
                collect(fragment.selectionSet, document, &fields, &visited)
            }
        }
    }
}
