/// The coerced arguments a resolver receives.
///
/// Values are already checked against the field's argument types, defaults are filled in, and
/// variables are substituted. An argument the caller left out and that has no default is absent
/// (`nil`); one given as `null` is ``GraphQLValue/null``. Enum values arrive as their names.
public struct GraphQLArguments: Sendable, Hashable {
    /// The arguments, in the order the field declares them.
    public let values: GraphQLObject

    /// Wraps coerced argument values.
    public init(_ values: GraphQLObject = GraphQLObject()) { self.values = values }

    /// The argument `name`, or `nil` if absent.
    public subscript(name: String) -> GraphQLValue? { values[name] }

    /// The argument `name` as a string; `nil` if absent, null or not a string.
    public func string(_ name: String) -> String? { values[name]?.stringValue }

    /// The argument `name` as an integer; `nil` if absent, null or not an integer.
    public func int(_ name: String) -> Int? { values[name]?.intValue }

    /// The argument `name` as a Boolean; `nil` if absent, null or not a Boolean.
    public func bool(_ name: String) -> Bool? { values[name]?.boolValue }

    /// The argument `name` as a Double; `nil` if absent, null or not a number.
    public func double(_ name: String) -> Double? { values[name]?.doubleValue }

    /// The argument `name` as an input object; `nil` if absent, null or not an object.
    public func object(_ name: String) -> GraphQLObject? { values[name]?.objectValue }

    /// The argument `name` as a list; `nil` if absent, null or not a list.
    public func list(_ name: String) -> [GraphQLValue]? { values[name]?.listValue }

    /// Whether the caller gave the argument (possibly as null) or it has a default.
    public func contains(_ name: String) -> Bool { values.index(of: name) != nil }

    /// No arguments.
    package static let empty = GraphQLArguments()
}
