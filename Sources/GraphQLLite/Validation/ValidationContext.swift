/// One walk over a document that records the facts the validation rules check: every field with
/// its parent type and definition, every argument list, value, directive, spread and variable use.
package final class ValidationContext {
    package struct FieldFact {
        package let node: FieldNode
        package let parent: NamedTypeModel?
        package let definition: FieldModel?
    }

    package enum ArgumentOwner {
        case field(FieldModel, parent: NamedTypeModel)
        case directive(DirectiveModel)
    }

    package struct ArgumentsFact {
        package let arguments: [Argument]
        package let owner: ArgumentOwner
        package let position: SourcePosition
        package let ownerName: String
    }

    package struct ValueFact {
        package let value: ValueNode
        package let type: TypeRef
    }

    package struct DirectivesFact {
        package let directives: [Directive]
        package let location: String
    }

    package struct SpreadFact {
        package let spread: FragmentSpread
        package let parent: NamedTypeModel?
    }

    package struct InlineFact {
        package let fragment: InlineFragment
        package let parent: NamedTypeModel?
    }

    package struct VariableUsage {
        package let name: String
        package let position: SourcePosition
        package let type: TypeRef?
        package let hasLocationDefault: Bool
    }

    /// The variable uses and fragment spreads of one operation or fragment (not transitive).
    package struct Scope {
        package var usages: [VariableUsage] = []
        package var spreads: [String] = []
    }

    package let schema: GraphQLSchema
    package let document: GraphQLDocument
    @exclusivity(unchecked) package private(set) var errors: [GraphQLError] = []
    @exclusivity(unchecked) package private(set) var fields: [FieldFact] = []
    @exclusivity(unchecked) package private(set) var argumentLists: [ArgumentsFact] = []
    @exclusivity(unchecked) package private(set) var values: [ValueFact] = []
    @exclusivity(unchecked) package private(set) var directiveLists: [DirectivesFact] = []
    @exclusivity(unchecked) package private(set) var spreads: [SpreadFact] = []
    @exclusivity(unchecked) package private(set) var inlineFragments: [InlineFact] = []
    /// Every selection set with its parent type, for the overlap rule, in document order; not those
    /// of inline fragments (their fields belong to the enclosing set, as in graphql-core 3.2).
    @exclusivity(unchecked) package private(set) var selectionSets: [(set: SelectionSet, parent: NamedTypeModel?)] = []
    @exclusivity(unchecked) package private(set) var operationScopes: [Scope] = []
    @exclusivity(unchecked) package private(set) var fragmentScopes: [String: Scope] = [:]
    @exclusivity(unchecked) private var scope = Scope()

    init(schema: GraphQLSchema, document: GraphQLDocument) {
        self.schema = schema
        self.document = document
        // Small documents then fill these without regrowing (one allocation each).
        fields.reserveCapacity(16)
        selectionSets.reserveCapacity(8)
        for definition in document.definitions {
            scope = Scope()
            switch definition {
            case .operation(let operation):
                if !operation.directives.isEmpty {
                    directiveLists.append(DirectivesFact(directives: operation.directives, location: operation.operation.rawValue.uppercased()))
                }
                walkDirectives(operation.directives)
                for variable in operation.variables {
                    directiveLists.append(DirectivesFact(directives: variable.directives, location: "VARIABLE_DEFINITION"))
                    // Their arguments are checked like any directive's (names, required ones, values).
                    walkDirectives(variable.directives)
                    // As graphql-js's TypeInfo: a default is checked against the variable's type
                    // only when that is an input type (else VariablesAreInputTypes reports it).
                    if let defaultValue = variable.defaultValue, let type = schema.typeRef(variable.type), type.named.isInputType {
                        values.append(ValueFact(value: defaultValue, type: type))
                    }
                }
                walk(operation.selectionSet, schema.rootType(for: operation.operation), isRoot: true)
                operationScopes.append(scope)
            case .fragment(let fragment):
                directiveLists.append(DirectivesFact(directives: fragment.directives, location: "FRAGMENT_DEFINITION"))
                walkDirectives(fragment.directives)
                let type = schema.type(named: fragment.typeCondition.name)
                walk(fragment.selectionSet, type?.isComposite == true ? type : nil, isRoot: false)
                fragmentScopes[fragment.name] = scope  // the last of a name wins, as in graphql-js
            }
        }
    }

    /// Records a validation error (code `GRAPHQL_VALIDATION_FAILED`).
    package func report(_ message: String, _ positions: [SourcePosition]) {
        errors.append(GraphQLError(message, code: "GRAPHQL_VALIDATION_FAILED", locations: positions.map(\.location)))
    }

    /// The field definition `name` on `parent`, including meta-fields.
    package func fieldDefinition(_ name: String, on parent: NamedTypeModel, isRoot: Bool) -> FieldModel? {
        if name == "__typename" { return parent.isComposite ? schema.metaFields.typename : nil }
        if parent === schema.queryType {
            if name == "__schema" { return schema.metaFields.schema }
            if name == "__type" { return schema.metaFields.type }
        }
        return parent.field(name)
    }

    private func walk(_ selectionSet: SelectionSet, _ parent: NamedTypeModel?, isRoot: Bool, isInline: Bool = false) {
        if !isInline { selectionSets.append((selectionSet, parent)) }
        for selection in selectionSet.selections {
            switch selection {
            case .field(let node):
                var definition: FieldModel?
                if let parent { definition = fieldDefinition(node.name, on: parent, isRoot: isRoot) }
                fields.append(FieldFact(node: node, parent: parent, definition: definition))
                if let definition, let parent, !(node.arguments.isEmpty && definition.arguments.isEmpty) {
                    argumentLists.append(ArgumentsFact(
                        arguments: node.arguments, owner: .field(definition, parent: parent),
                        position: node.position, ownerName: node.name
                    ))
                }
                if !node.arguments.isEmpty { walkArguments(node.arguments, definition?.arguments) }
                if !node.directives.isEmpty {
                    directiveLists.append(DirectivesFact(directives: node.directives, location: "FIELD"))
                    walkDirectives(node.directives)
                }
                if let selectionSet = node.selectionSet {
                    let named = definition?.type.named
                    walk(selectionSet, named?.isComposite == true ? named : nil, isRoot: false)
                }
            case .fragmentSpread(let spread):
                spreads.append(SpreadFact(spread: spread, parent: parent))
                scope.spreads.append(spread.name)
                directiveLists.append(DirectivesFact(directives: spread.directives, location: "FRAGMENT_SPREAD"))
                walkDirectives(spread.directives)
            case .inlineFragment(let inline):
                inlineFragments.append(InlineFact(fragment: inline, parent: parent))
                directiveLists.append(DirectivesFact(directives: inline.directives, location: "INLINE_FRAGMENT"))
                walkDirectives(inline.directives)
                var type = parent
                if let condition = inline.typeCondition {
                    let conditionType = schema.type(named: condition.name)
                    type = conditionType?.isComposite == true ? conditionType : nil
                }
                walk(inline.selectionSet, type, isRoot: false, isInline: true)
            }
        }
    }

    private func walkDirectives(_ directives: [Directive]) {
        for directive in directives {
            let definition = schema.directive(named: directive.name)
            if let definition {
                argumentLists.append(ArgumentsFact(
                    arguments: directive.arguments, owner: .directive(definition),
                    position: directive.position, ownerName: directive.name
                ))
            }
            walkArguments(directive.arguments, definition?.arguments)
        }
    }

    private func walkArguments(_ arguments: [Argument], _ definitions: [InputValueModel]?) {
        for argument in arguments {
            let definition = definitions?.first { $0.name == argument.name }
            if let definition { values.append(ValueFact(value: argument.value, type: definition.type)) }
            collectVariables(argument.value, definition?.type, hasDefault: definition?.defaultValue != nil)
        }
    }

    private func collectVariables(_ value: ValueNode, _ type: TypeRef?, hasDefault: Bool) {
        switch value.kind {
        case .variable(let name):
            scope.usages.append(VariableUsage(name: name, position: value.position, type: type, hasLocationDefault: hasDefault))
        case .list(let items):
            // As graphql-js's TypeInfo: the items of a list literal in a position that is not a
            // list have the position's (nullable) type.
            var itemType = type?.nullable
            if case .list(let inner)? = itemType { itemType = inner }
            for item in items { collectVariables(item, itemType, hasDefault: false) }
        case .object(let fields):
            // The fields of the named input type, also in a list position (one object for a list).
            let inputType = type?.named
            for field in fields {
                var fieldType: TypeRef?
                var fieldDefault = false
                if let inputType, inputType.kind == .inputObject, let definition = inputType.inputField(field.name) {
                    fieldType = definition.type
                    fieldDefault = definition.defaultValue != nil
                }
                collectVariables(field.value, fieldType, hasDefault: fieldDefault)
            }
        default:
            break
        }
    }

    /// The fragments an operation scope reaches, transitively (each once).
    package func reachableFragments(from scope: Scope) -> [String] {
        if scope.spreads.isEmpty { return [] }
        var seen: Set<String> = []
        var order: [String] = []
        var stack = scope.spreads
        while let name = stack.popLast() {
            guard !seen.contains(name), let fragmentScope = fragmentScopes[name] else { continue }
            seen.insert(name)
            order.append(name)
            stack.append(contentsOf: fragmentScope.spreads)
        }
        return order
    }
}
