// The resolved form of a schema that validation and execution walk: named types as classes that
// point at each other, fields with their resolved types.

/// A named type with everything resolved. Written only while ``GraphQLSchema``'s initialiser builds
/// it and never after the schema is published, which is why it can be `@unchecked Sendable`.
package final class NamedTypeModel: @unchecked Sendable {
    package enum Kind: String, Sendable {
        case scalar = "SCALAR", object = "OBJECT", interface = "INTERFACE", union = "UNION"
        case enumeration = "ENUM", inputObject = "INPUT_OBJECT"
    }

    package let kind: Kind
    package let name: String
    package let description: String?
    package let scalar: GraphQLScalarType?
    /// Which built-in scalar it is, if any (read on hot paths, hence a separate `let`).
    package let builtin: GraphQLScalarType.Builtin?
    @exclusivity(unchecked) package var fields: [FieldModel] = []
    @exclusivity(unchecked) package var fieldsByName: [String: FieldModel] = [:]
    @exclusivity(unchecked) package var interfaces: [NamedTypeModel] = []
    /// For interfaces and unions: the object types that can appear.
    @exclusivity(unchecked) package var possibleTypes: [NamedTypeModel] = []
    @exclusivity(unchecked) package var possibleTypeNames: Set<String> = []
    @exclusivity(unchecked) package var enumValues: [EnumValueModel] = []
    @exclusivity(unchecked) package var inputFields: [InputValueModel] = []
    @exclusivity(unchecked) package var isTypeOf: (@Sendable (Any) -> Bool)?
    @exclusivity(unchecked) package var resolveType: (@Sendable (Any) -> String?)?
    /// Whether it is one of the schema's own introspection types (`__Type`, ...).
    @exclusivity(unchecked) package var isIntrospection = false

    package init(kind: Kind, name: String, description: String?, scalar: GraphQLScalarType? = nil) {
        self.kind = kind
        self.name = name
        self.description = description
        self.scalar = scalar
        self.builtin = scalar?.builtin
    }

    package var isLeaf: Bool { kind == .scalar || kind == .enumeration }
    package var isComposite: Bool { kind == .object || kind == .interface || kind == .union }
    package var isAbstract: Bool { kind == .interface || kind == .union }
    package var isInputType: Bool { kind == .scalar || kind == .enumeration || kind == .inputObject }
    package var isOutputType: Bool { kind != .inputObject }

    /// The field `name`. Small types are scanned (comparing short names beats hashing them);
    /// larger ones use the dictionary.
    package func field(_ name: String) -> FieldModel? {
        let fields = fields
        if fields.count <= 8 {
            for field in fields where field.name == name { return field }
            return nil
        }
        return fieldsByName[name]
    }

    package func inputField(_ name: String) -> InputValueModel? { inputFields.first { $0.name == name } }

    package func enumValue(named name: String) -> EnumValueModel? { enumValues.first { $0.name == name } }
}

package final class FieldModel: @unchecked Sendable {
    package let name: String
    package let description: String?
    package let deprecationReason: String?
    package let resolver: FieldResolver
    package let type: TypeRef
    @exclusivity(unchecked) package var arguments: [InputValueModel] = []
    /// `Parent.field`, for messages.
    package let coordinate: String

    package init(name: String, parent: String, description: String?, deprecationReason: String?, resolver: FieldResolver, type: TypeRef) {
        self.name = name
        self.description = description
        self.deprecationReason = deprecationReason
        self.resolver = resolver
        self.type = type
        self.coordinate = "\(parent).\(name)"
    }

    package func argument(_ name: String) -> InputValueModel? { arguments.first { $0.name == name } }
}

package struct InputValueModel: Sendable {
    package let name: String
    package let description: String?
    package let type: TypeRef
    package let defaultValue: GraphQLValue?
    package let deprecationReason: String?
}

package struct EnumValueModel: Sendable {
    package let name: String
    package let description: String?
    package let deprecationReason: String?
    package let value: (any Hashable & Sendable)?
}

package struct DirectiveModel: Sendable {
    package let name: String
    package let description: String?
    package let locations: [String]
    package let arguments: [InputValueModel]
    package let isRepeatable: Bool
}

/// A resolved type: a named type wrapped in lists and non-null.
/// Only the wrappers are boxed: `.named`, the common case, holds the class reference directly.
package enum TypeRef: Sendable, CustomStringConvertible {
    case named(NamedTypeModel)
    indirect case list(TypeRef)
    indirect case nonNull(TypeRef)

    package var named: NamedTypeModel {
        // A loop rather than recursion, so that callers can inline it.
        var current = self
        while true {
            switch current {
            case .named(let type): return type
            case .list(let inner), .nonNull(let inner): current = inner
            }
        }
    }

    package var isNonNull: Bool {
        if case .nonNull = self { return true }
        return false
    }

    /// The type without its outer non-null.
    package var nullable: TypeRef {
        if case .nonNull(let inner) = self { return inner }
        return self
    }

    package var description: String {
        switch self {
        case .named(let type): type.name
        case .list(let inner): "[\(inner)]"
        case .nonNull(let inner): "\(inner)!"
        }
    }

    /// Whether both are the same type.
    package func isEqual(to other: TypeRef) -> Bool {
        switch (self, other) {
        case (.named(let a), .named(let b)): a === b
        case (.list(let a), .list(let b)), (.nonNull(let a), .nonNull(let b)): a.isEqual(to: b)
        default: false
        }
    }
}
