/// Spec 5.2.3.1: a subscription operation selects exactly one root field, and not an
/// introspection field (`__typename`, `__schema`, `__type`): its one field is the event source.
///
/// The root fields are those CollectFields gives with no variable values, as graphql-js's rule
/// computes them: `@skip(if: true)` and `@include(if: false)` leave a selection out (a variable
/// condition has no value yet, so it keeps the selection, as the spec reads), and fragments whose
/// type condition does not apply to the subscription type are not entered. Fields are grouped by
/// response key; every field of the second and later groups is an extra one.
struct SingleFieldSubscriptionsRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        guard let subscriptionType = context.schema.subscriptionType else { return }
        let document = context.document
        for operation in document.operations where operation.operation == .subscription {
            var groups: [(key: String, fields: [FieldNode])] = []
            var visited: Set<String> = []
            collect(operation.selectionSet, subscriptionType, context, &groups, &visited)
            let name = operation.name.map { "Subscription \"\($0)\"" } ?? "Anonymous Subscription"
            if groups.count > 1 {
                let extra = groups.dropFirst().flatMap { $0.fields.map(\.position) }
                context.report("\(name) must select only one top level field.", extra)
            }
            for group in groups where group.fields[0].name.hasPrefix("__") {
                context.report("\(name) must not select an introspection top level field.", group.fields.map(\.position))
            }
        }
    }

    /// The root fields of a selection set by response key, through fragments (each fragment once).
    private static func collect(
        _ set: SelectionSet, _ type: NamedTypeModel, _ context: ValidationContext,
        _ groups: inout [(key: String, fields: [FieldNode])], _ visited: inout Set<String>
    ) {
        for selection in set.selections {
            switch selection {
            case .field(let field):
                guard isIncluded(field.directives) else { continue }
                if let index = groups.firstIndex(where: { $0.key == field.responseKey }) {
                    groups[index].fields.append(field)
                } else {
                    groups.append((field.responseKey, [field]))
                }
            case .inlineFragment(let fragment):
                guard isIncluded(fragment.directives),
                      fragment.typeCondition.map({ applies($0.name, to: type, context) }) ?? true else { continue }
                collect(fragment.selectionSet, type, context, &groups, &visited)
            case .fragmentSpread(let spread):
                guard !visited.contains(spread.name), isIncluded(spread.directives) else { continue }
                visited.insert(spread.name)
                guard let fragment = context.document.fragments[spread.name],
                      applies(fragment.typeCondition.name, to: type, context) else { continue }
                collect(fragment.selectionSet, type, context, &groups, &visited)
            }
        }
    }

    /// Whether `@skip`/`@include` with a literal condition keep the selection (the first of each name counts).
    private static func isIncluded(_ directives: [Directive]) -> Bool {
        func condition(_ name: String) -> Bool? {
            guard let directive = directives.first(where: { $0.name == name }),
                  let argument = directive.arguments.first(where: { $0.name == "if" }),
                  case .boolean(let value) = argument.value.kind else { return nil }
            return value
        }
        return condition("skip") != true && condition("include") != false
    }

    /// Whether a fragment on `condition` applies to an object of `type`.
    private static func applies(_ condition: String, to type: NamedTypeModel, _ context: ValidationContext) -> Bool {
        guard let conditionType = context.schema.type(named: condition) else { return false }
        if conditionType.name == type.name { return true }
        return conditionType.isAbstract && context.schema.possibleTypes(of: conditionType).contains { $0.name == type.name }
    }
}
