/// One response key of a selection set, resolved against an object type: the field, its merged
/// nodes, its arguments (coerced once per request) and the plans of its sub-selections.
package final class FieldPlan: Sendable {
    package enum Kind: Sendable {
        case field
        case typename
        case schema
        case type
    }

    package let responseKey: String
    /// The first of the field nodes merged under this key (its position locates errors).
    package let node: FieldNode
    package let kind: Kind
    package let field: FieldModel
    /// The coerced arguments (empty when coercion failed: see `argumentError`).
    package let argumentValues: GraphQLArguments
    package let argumentError: GraphQLError?
    /// The field's resolver and type, read through `field` (not copied: fewer retains per plan).
    @inline(__always) package var resolver: FieldResolver { field.resolver }
    @inline(__always) package var type: TypeRef { field.type }
    package let isNonNull: Bool
    /// For `String`, `Int`, … and `String!`, `Int!`, …: the built-in scalar (the fast path).
    package let leaf: GraphQLScalarType.Builtin?
    /// Sub-selection plans by possible object type (one entry for an object type; none for leaves).
    package let children: [(type: NamedTypeModel, plan: SelectionPlan)]
    /// Whether the resolver and everything below it run without suspending.
    package let isSync: Bool

    init(
        responseKey: String, node: FieldNode, kind: Kind, field: FieldModel,
        argumentValues: GraphQLArguments, argumentError: GraphQLError?, children: [(type: NamedTypeModel, plan: SelectionPlan)]
    ) {
        self.responseKey = responseKey
        self.node = node
        self.kind = kind
        self.field = field
        self.argumentValues = argumentValues
        self.argumentError = argumentError
        self.isNonNull = field.type.isNonNull
        if case .named(let named) = field.type.nullable { leaf = named.builtin } else { leaf = nil }
        self.children = children
        var isSync = true
        if case .async = field.resolver { isSync = false }
        for child in children where !child.plan.isSync { isSync = false }
        self.isSync = isSync
    }

    /// The plan for a value whose runtime type is `type`.
    @inline(__always)
    package func child(for type: NamedTypeModel) -> SelectionPlan? {
        for child in children where child.type === type { return child.plan }
        return nil
    }
}

/// The fields an object type's selection set collects to (spec CollectFields), in order.
package final class SelectionPlan: Sendable {
    /// The object type's name (the value of `__typename`).
    package let typeName: String
    package let keys: [String]
    package let fields: [FieldPlan]
    package let isSync: Bool

    /// - Parameter keys: the fields' response keys, when the caller already has them.
    init(typeName: String, fields: [FieldPlan], keys: [String]? = nil) {
        self.typeName = typeName
        self.fields = fields
        self.keys = keys ?? fields.map(\.responseKey)
        self.isSync = fields.allSatisfy(\.isSync)
    }
}

/// Builds plans for one request: evaluates `@skip`/`@include`, expands fragments, merges fields,
/// coerces arguments. A budget stops fragment "bombs" that expand exponentially.
package struct Planner {
    let schema: GraphQLSchema
    let fragments: [String: FragmentDefinition]
    let variables: GraphQLObject
    var budget: Int

    package struct BudgetExceeded: Error {}

    /// Plans the selection sets `selectionSets` for values of object type `type`.
    mutating func plan(_ type: NamedTypeModel, _ selectionSets: [SelectionSet], isRoot: Bool = false) throws(BudgetExceeded) -> SelectionPlan {
        // Per response key its first node; later nodes with the same key (rare) go to `merged`,
        // so the common case allocates no array per field.
        var keys: [String] = []
        var firsts: [FieldNode] = []
        var merged: [(index: Int, node: FieldNode)] = []
        let expected = selectionSets.first?.selections.count ?? 0
        keys.reserveCapacity(expected)
        firsts.reserveCapacity(expected)
        var visited: Set<String> = []
        for selectionSet in selectionSets {
            collect(type, selectionSet, &keys, &firsts, &merged, &visited)
        }
        var fields: [FieldPlan] = []
        fields.reserveCapacity(keys.count)
        for (index, key) in keys.enumerated() {
            budget -= 1
            if budget < 0 { throw BudgetExceeded() }
            let node = firsts[index]
            let kind: FieldPlan.Kind
            let field: FieldModel
            switch node.name {
            case "__typename":
                kind = .typename
                field = schema.metaFields.typename
            case "__schema" where isRoot && type === schema.queryType:
                kind = .schema
                field = schema.metaFields.schema
            case "__type" where isRoot && type === schema.queryType:
                kind = .type
                field = schema.metaFields.type
            default:
                guard let model = type.field(node.name) else { continue }
                kind = .field
                field = model
            }
            // Most fields take no arguments: no coercion call and no `Result` to copy and destroy.
            var argumentValues = GraphQLArguments.empty
            var argumentError: GraphQLError?
            if !field.arguments.isEmpty {
                switch Planner.arguments(field, node.arguments, variables: variables, position: node.position) {
                case .success(let values): argumentValues = values
                case .failure(let error): argumentError = error
                }
            }
            var children: [(type: NamedTypeModel, plan: SelectionPlan)] = []
            let named = field.type.named
            if named.kind == .object {
                // The common case: one possible type, no array of possible types to build.
                let subSets = Planner.selectionSets(of: index, node, merged)
                children.reserveCapacity(1)
                children.append((named, try plan(named, subSets)))
            } else if named.isComposite {
                let subSets = Planner.selectionSets(of: index, node, merged)
                for possible in schema.possibleTypes(of: named) {
                    children.append((possible, try plan(possible, subSets)))
                }
            }
            fields.append(FieldPlan(responseKey: key, node: node, kind: kind, field: field,
                argumentValues: argumentValues, argumentError: argumentError, children: children
            ))
        }
        // Every key became a field (none unknown): the plan shares the key array.
        return SelectionPlan(typeName: type.name, fields: fields, keys: fields.count == keys.count ? keys : nil)
    }

    /// The sub-selection sets of the key at `index`, in document order: its first node's, then
    /// those of the nodes merged into it.
    static func selectionSets(of index: Int, _ first: FieldNode, _ merged: [(index: Int, node: FieldNode)]) -> [SelectionSet] {
        var sets: [SelectionSet] = []
        if let set = first.selectionSet { sets.append(set) }
        for entry in merged where entry.index == index {
            if let set = entry.node.selectionSet { sets.append(set) }
        }
        return sets
    }

    private func collect(
        _ type: NamedTypeModel, _ selectionSet: SelectionSet, _ keys: inout [String],
        _ firsts: inout [FieldNode], _ merged: inout [(index: Int, node: FieldNode)], _ visited: inout Set<String>
    ) {
        for selection in selectionSet.selections {
            switch selection {
            case .field(let field):
                guard shouldInclude(field.directives) else { continue }
                let key = field.responseKey
                if let index = keys.firstIndex(of: key) {
                    merged.append((index, field))
                } else {
                    keys.append(key)
                    firsts.append(field)
                }
            case .fragmentSpread(let spread):
                guard shouldInclude(spread.directives), !visited.contains(spread.name) else { continue }
                visited.insert(spread.name)
                guard let fragment = fragments[spread.name], applies(fragment.typeCondition.name, to: type) else { continue }
                collect(type, fragment.selectionSet, &keys, &firsts, &merged, &visited)
            case .inlineFragment(let inline):
                guard shouldInclude(inline.directives) else { continue }
                if let condition = inline.typeCondition, !applies(condition.name, to: type) { continue }
                collect(type, inline.selectionSet, &keys, &firsts, &merged, &visited)
            }
        }
    }

    private func applies(_ condition: String, to type: NamedTypeModel) -> Bool {
        guard let conditionType = schema.type(named: condition) else { return false }
        return schema.isPossibleType(type, of: conditionType)
    }

    private func shouldInclude(_ directives: [Directive]) -> Bool {
        for directive in directives where directive.name == "skip" || directive.name == "include" {
            guard let argument = directive.arguments.first(where: { $0.name == "if" }) else { continue }
            var condition = false
            switch argument.value.kind {
            case .boolean(let value): condition = value
            case .variable(let name): condition = variables[name]?.boolValue ?? false
            default: break
            }
            if directive.name == "skip", condition { return false }
            if directive.name == "include", !condition { return false }
        }
        return true
    }

    /// Spec CoerceArgumentValues.
    static func arguments(
        _ field: FieldModel, _ nodes: [Argument], variables: GraphQLObject, position: SourcePosition
    ) -> Result<GraphQLArguments, GraphQLError> {
        if field.arguments.isEmpty { return .success(.empty) }
        var values = GraphQLObject()
        for definition in field.arguments {
            let node = nodes.first { $0.name == definition.name }
            var value: GraphQLValue?
            if let node {
                do {
                    value = try InputCoercion.literal(node.value, definition.type, variables: variables)
                } catch {
                    return .failure(GraphQLError(
                        "Argument \"\(definition.name)\" has invalid value \(InputCoercion.print(node.value)). \(error.message)",
                        code: "BAD_USER_INPUT", locations: [(error.position ?? node.position).location]
                    ))
                }
            }
            if let value {
                values.append(definition.name, value)
            } else if let defaultValue = definition.defaultValue {
                values.append(definition.name, defaultValue)
            } else if definition.type.isNonNull {
                return .failure(GraphQLError(
                    "Argument \"\(definition.name)\" of required type \"\(definition.type)\" was not provided.",
                    code: "BAD_USER_INPUT", locations: [position.location]
                ))
            }
        }
        return .success(GraphQLArguments(values))
    }
}
