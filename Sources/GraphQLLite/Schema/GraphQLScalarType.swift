/// A scalar type: the built-ins (`String`, `Int`, `Float`, `Boolean`, `ID`) or your own.
///
/// A custom scalar says how a resolver's Swift value becomes a response value (`serialize`) and how
/// an input (a literal in the document, converted to a ``GraphQLValue``, or a variable's JSON
/// value) is checked and normalised (`parseValue`). Throw ``GraphQLError`` with a message for
/// values it rejects.
/// ```swift
/// let money = GraphQLScalarType("Money",
///     serialize: { value in guard let cents = value as? Int else { throw GraphQLError("Money cannot represent \(value)") }
///                           return .int(cents) },
///     parseValue: { value in guard case .int = value else { throw GraphQLError("Money must be an integer") }
///                            return value })
/// ```
/// ``json`` and ``dateTime`` are ready-made scalars for the gateway contract.
public struct GraphQLScalarType: GraphQLNamedType {
    /// The type's name.
    public let name: String
    /// Its documentation.
    public let description: String?
    /// A URL describing its format (`@specifiedBy`).
    public let specifiedByURL: String?
    /// Which built-in it is, if any (the engine handles those inline).
    package let builtin: Builtin?
    /// Turns a resolver's value into a response value.
    public let serialize: @Sendable (Any) throws -> GraphQLValue
    /// Checks and normalises an input value (from a variable or a literal).
    public let parseValue: @Sendable (GraphQLValue) throws -> GraphQLValue

    /// The built-in scalars.
    package enum Builtin: Sendable {
        case string, int, float, boolean, id
    }

    /// Creates a custom scalar.
    /// - Parameters:
    ///   - name: the type name.
    ///   - description: documentation.
    ///   - specifiedByURL: a URL describing the format.
    ///   - serialize: converts a resolver's value into a response value; throws for values it
    ///     cannot represent (the field then becomes null with an error).
    ///   - parseValue: validates an input value and returns it normalised; throws to reject it.
    public init(
        _ name: String,
        description: String? = nil,
        specifiedByURL: String? = nil,
        serialize: @escaping @Sendable (Any) throws -> GraphQLValue,
        parseValue: @escaping @Sendable (GraphQLValue) throws -> GraphQLValue
    ) {
        self.name = name
        self.description = description
        self.specifiedByURL = specifiedByURL
        self.builtin = nil
        self.serialize = serialize
        self.parseValue = parseValue
    }

    package init(builtin: Builtin, name: String, description: String) {
        self.name = name
        self.description = description
        self.specifiedByURL = nil
        self.builtin = builtin
        self.serialize = { value in try BuiltinScalars.serialize(builtin, value) }
        self.parseValue = { value in try BuiltinScalars.parse(builtin, value) }
    }

    /// `String`: UTF-8 text.
    public static let string = GraphQLScalarType(
        builtin: .string, name: "String",
        description: "The `String` scalar type represents textual data, represented as UTF-8 character sequences. The String type is most often used by GraphQL to represent free-form human-readable text."
    )
    /// `Int`: a signed 32-bit integer.
    public static let int = GraphQLScalarType(
        builtin: .int, name: "Int",
        description: "The `Int` scalar type represents non-fractional signed whole numeric values. Int can represent values between -(2^31) and 2^31 - 1."
    )
    /// `Float`: a double-precision number.
    public static let float = GraphQLScalarType(
        builtin: .float, name: "Float",
        description: "The `Float` scalar type represents signed double-precision fractional values as specified by [IEEE 754](https://en.wikipedia.org/wiki/IEEE_floating_point)."
    )
    /// `Boolean`: `true` or `false`.
    public static let boolean = GraphQLScalarType(
        builtin: .boolean, name: "Boolean",
        description: "The `Boolean` scalar type represents `true` or `false`."
    )
    /// `ID`: a unique identifier, serialised as a string.
    public static let id = GraphQLScalarType(
        builtin: .id, name: "ID",
        description: "The `ID` scalar type represents a unique identifier, often used to refetch an object or as key for a cache. The ID type appears in a JSON response as a String; however, it is not intended to be human-readable. When expected as an input type, any string (such as `\"4\"`) or integer (such as `4`) input value will be accepted as an ID."
    )
}
