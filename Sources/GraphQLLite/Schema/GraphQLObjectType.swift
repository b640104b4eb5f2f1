/// An object type: a named set of fields with resolvers.
///
/// ```swift
/// let taskLog = GraphQLObjectType("TaskLog", fields: [
///     GraphQLField("message", .nonNull(.string)) { (entry: TaskLogEntry, _, _: Void) in entry.message },
/// ])
/// ```
public struct GraphQLObjectType: GraphQLNamedType {
    /// The type's name.
    public let name: String
    /// Its documentation.
    public let description: String?
    /// The interfaces it implements, by name.
    public let interfaces: [String]
    /// Its fields, in order.
    public let fields: [GraphQLField]
    /// Tells whether a value belongs to this type, for interfaces and unions without `resolveType`.
    public let isTypeOf: (@Sendable (Any) -> Bool)?

    /// Creates an object type.
    /// - Parameters:
    ///   - name: the type name.
    ///   - description: documentation.
    ///   - interfaces: names of the interfaces it implements.
    ///   - fields: its fields.
    ///   - isTypeOf: for abstract types without `resolveType`, whether a value is of this type
    ///     (e.g. `{ $0 is TaskRecord }`).
    public init(
        _ name: String,
        description: String? = nil,
        interfaces: [String] = [],
        fields: [GraphQLField],
        isTypeOf: (@Sendable (Any) -> Bool)? = nil
    ) {
        self.name = name
        self.description = description
        self.interfaces = interfaces
        self.fields = fields
        self.isTypeOf = isTypeOf
    }
}

/// An interface type: fields that several object types share.
public struct GraphQLInterfaceType: GraphQLNamedType {
    /// The type's name.
    public let name: String
    /// Its documentation.
    public let description: String?
    /// The interfaces it implements, by name.
    public let interfaces: [String]
    /// Its fields (their resolvers are not used: the object types' are).
    public let fields: [GraphQLField]
    /// The name of the object type of a value; `nil` asks each possible type's `isTypeOf`.
    public let resolveType: (@Sendable (Any) -> String?)?

    /// Creates an interface type.
    /// - Parameters:
    ///   - name: the type name.
    ///   - description: documentation.
    ///   - interfaces: names of interfaces it implements.
    ///   - fields: the shared fields.
    ///   - resolveType: the object type name of a value. A value that is a ``GraphQLObject`` with a
    ///     `__typename` member needs neither this nor `isTypeOf`.
    public init(
        _ name: String,
        description: String? = nil,
        interfaces: [String] = [],
        fields: [GraphQLField],
        resolveType: (@Sendable (Any) -> String?)? = nil
    ) {
        self.name = name
        self.description = description
        self.interfaces = interfaces
        self.fields = fields
        self.resolveType = resolveType
    }
}

/// A union type: one of several object types.
public struct GraphQLUnionType: GraphQLNamedType {
    /// The type's name.
    public let name: String
    /// Its documentation.
    public let description: String?
    /// Its member object types, by name.
    public let types: [String]
    /// The name of the object type of a value; `nil` asks each member's `isTypeOf`.
    public let resolveType: (@Sendable (Any) -> String?)?

    /// Creates a union type.
    /// - Parameters:
    ///   - name: the type name.
    ///   - description: documentation.
    ///   - types: names of the member object types.
    ///   - resolveType: the object type name of a value.
    public init(
        _ name: String,
        description: String? = nil,
        types: [String],
        resolveType: (@Sendable (Any) -> String?)? = nil
    ) {
        self.name = name
        self.description = description
        self.types = types
        self.resolveType = resolveType
    }
}

/// An input object type: the type of structured arguments.
public struct GraphQLInputObjectType: GraphQLNamedType {
    /// The type's name.
    public let name: String
    /// Its documentation.
    public let description: String?
    /// Its fields, in order.
    public let fields: [GraphQLInputField]

    /// Creates an input object type.
    /// - Parameters:
    ///   - name: the type name.
    ///   - description: documentation.
    ///   - fields: its fields, with defaults where wanted.
    public init(_ name: String, description: String? = nil, fields: [GraphQLInputField]) {
        self.name = name
        self.description = description
        self.fields = fields
    }
}
