// The syntax tree of executable documents. Nodes that the validator and executor identify (operations,
// fragments, fields, selection sets) are immutable classes so that plans can be cached by identity.

/// A 1-based line and column, compact.
package struct SourcePosition: Sendable, Hashable {
    package let line: Int32
    package let column: Int32

    package init(line: Int32, column: Int32) {
        self.line = line
        self.column = column
    }

    package var location: GraphQLSourceLocation { GraphQLSourceLocation(line: Int(line), column: Int(column)) }
}

/// The kind of an operation.
public enum GraphQLOperationType: String, Sendable, Hashable, CaseIterable {
    /// A read.
    case query
    /// A write; root fields run one after another.
    case mutation
    /// Parsed but not executed by this engine.
    case subscription
}

/// A top-level definition.
package enum Definition: Sendable {
    case operation(OperationDefinition)
    case fragment(FragmentDefinition)
}

package final class OperationDefinition: Sendable {
    package let operation: GraphQLOperationType
    package let name: String?
    package let variables: [VariableDefinition]
    package let directives: [Directive]
    package let selectionSet: SelectionSet
    package let position: SourcePosition
    /// Where the name starts (graphql-js locates duplicate-name errors there); `position` when unnamed.
    package let namePosition: SourcePosition

    package init(
        operation: GraphQLOperationType, name: String?, variables: [VariableDefinition],
        directives: [Directive], selectionSet: SelectionSet, position: SourcePosition,
        namePosition: SourcePosition? = nil
    ) {
        self.namePosition = namePosition ?? position
        self.operation = operation
        self.name = name
        self.variables = variables
        self.directives = directives
        self.selectionSet = selectionSet
        self.position = position
    }
}

package struct VariableDefinition: Sendable {
    package let name: String
    package let type: TypeNode
    package let defaultValue: ValueNode?
    package let directives: [Directive]
    package let position: SourcePosition
    /// Where the name (after `$`) starts: graphql-js locates errors about the name there.
    package let namePosition: SourcePosition
}

package final class FragmentDefinition: Sendable {
    package let name: String
    package let typeCondition: NamedTypeNode
    package let directives: [Directive]
    package let selectionSet: SelectionSet
    package let position: SourcePosition
    /// Where the name starts (graphql-js locates duplicate-name errors there).
    package let namePosition: SourcePosition

    package init(
        name: String, typeCondition: NamedTypeNode, directives: [Directive],
        selectionSet: SelectionSet, position: SourcePosition, namePosition: SourcePosition? = nil
    ) {
        self.namePosition = namePosition ?? position
        self.name = name
        self.typeCondition = typeCondition
        self.directives = directives
        self.selectionSet = selectionSet
        self.position = position
    }
}

package final class SelectionSet: Sendable {
    package let selections: [Selection]
    package let position: SourcePosition

    package init(selections: [Selection], position: SourcePosition) {
        self.selections = selections
        self.position = position
    }
}

package enum Selection: Sendable {
    case field(FieldNode)
    case fragmentSpread(FragmentSpread)
    case inlineFragment(InlineFragment)
}

package final class FieldNode: Sendable {
    package let alias: String?
    package let name: String
    package let arguments: [Argument]
    package let directives: [Directive]
    package let selectionSet: SelectionSet?
    package let position: SourcePosition

    /// The key of this field in the response: its alias, or its name.
    package var responseKey: String { alias ?? name }

    package init(
        alias: String?, name: String, arguments: [Argument], directives: [Directive],
        selectionSet: SelectionSet?, position: SourcePosition
    ) {
        self.alias = alias
        self.name = name
        self.arguments = arguments
        self.directives = directives
        self.selectionSet = selectionSet
        self.position = position
    }
}

package struct FragmentSpread: Sendable {
    package let name: String
    package let directives: [Directive]
    package let position: SourcePosition
    /// Where the name (after `...`) starts (graphql-js locates unknown-fragment errors there).
    package let namePosition: SourcePosition
}

package final class InlineFragment: Sendable {
    package let typeCondition: NamedTypeNode?
    package let directives: [Directive]
    package let selectionSet: SelectionSet
    package let position: SourcePosition

    package init(typeCondition: NamedTypeNode?, directives: [Directive], selectionSet: SelectionSet, position: SourcePosition) {
        self.typeCondition = typeCondition
        self.directives = directives
        self.selectionSet = selectionSet
        self.position = position
    }
}

package struct Argument: Sendable {
    package let name: String
    package let value: ValueNode
    package let position: SourcePosition
}

package struct Directive: Sendable {
    package let name: String
    package let arguments: [Argument]
    package let position: SourcePosition
}

package struct NamedTypeNode: Sendable {
    package let name: String
    package let position: SourcePosition
}

package indirect enum TypeNode: Sendable, Hashable, CustomStringConvertible {
    case named(String, SourcePosition)
    case list(TypeNode, SourcePosition)
    case nonNull(TypeNode, SourcePosition)

    package var position: SourcePosition {
        switch self {
        case .named(_, let position), .list(_, let position), .nonNull(_, let position): position
        }
    }

    package var namedType: String {
        switch self {
        case .named(let name, _): name
        case .list(let inner, _), .nonNull(let inner, _): inner.namedType
        }
    }

    package var description: String {
        switch self {
        case .named(let name, _): name
        case .list(let inner, _): "[\(inner)]"
        case .nonNull(let inner, _): "\(inner)!"
        }
    }
}

package struct ValueNode: Sendable {
    package let kind: ValueKind
    package let position: SourcePosition
}

package indirect enum ValueKind: Sendable {
    case variable(String)
    case int(String)
    case float(String)
    case string(String)
    case boolean(Bool)
    case null
    case enumValue(String)
    case list([ValueNode])
    case object([ObjectField])
}

package struct ObjectField: Sendable {
    package let name: String
    package let value: ValueNode
    package let position: SourcePosition
}
