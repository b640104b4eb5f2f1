/// A JSON-like value: what variables, arguments, input objects and results are made of.
///
/// Integers and floating-point numbers are kept apart so that `1` stays `1`. Literals read naturally:
/// ```swift
/// let variables: GraphQLValue = ["input": ["type": "email", "payload": ["to": "a@b.c"]]]
/// ```
public enum GraphQLValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer.
    case int(Int)
    /// A floating-point number.
    case float(Double)
    /// A string (also enum names, IDs and custom scalars that serialise to strings).
    case string(String)
    /// A list.
    case list([GraphQLValue])
    /// An object whose members keep their order.
    case object(GraphQLObject)

    /// The member `key` of an object, or `nil` for a missing key or a non-object.
    public subscript(key: String) -> GraphQLValue? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    /// The element at `index` of a list, or `nil` when out of range or not a list.
    public subscript(index: Int) -> GraphQLValue? {
        guard case .list(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The integer, if this is an integer (or a float with no fractional part that fits an `Int`).
    public var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .float(let value): return Int(exactly: value)
        default: return nil
        }
    }

    /// The number as a `Double`, if this is a number.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .float(let value): return value
        default: return nil
        }
    }

    /// The Boolean, if this is a Boolean.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements, if this is a list.
    public var listValue: [GraphQLValue]? {
        if case .list(let value) = self { return value }
        return nil
    }

    /// The members, if this is an object.
    public var objectValue: GraphQLObject? {
        if case .object(let value) = self { return value }
        return nil
    }
}

extension GraphQLValue: ExpressibleByNilLiteral {
    /// Creates `null`.
    public init(nilLiteral: ()) { self = .null }
}

extension GraphQLValue: ExpressibleByBooleanLiteral {
    /// Creates a Boolean.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension GraphQLValue: ExpressibleByIntegerLiteral {
    /// Creates an integer.
    public init(integerLiteral value: Int) { self = .int(value) }
}

extension GraphQLValue: ExpressibleByFloatLiteral {
    /// Creates a float.
    public init(floatLiteral value: Double) { self = .float(value) }
}

extension GraphQLValue: ExpressibleByStringLiteral {
    /// Creates a string.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension GraphQLValue: ExpressibleByArrayLiteral {
    /// Creates a list.
    public init(arrayLiteral elements: GraphQLValue...) { self = .list(elements) }
}

extension GraphQLValue: ExpressibleByDictionaryLiteral {
    /// Creates an object; members keep the literal's order.
    public init(dictionaryLiteral elements: (String, GraphQLValue)...) {
        var object = GraphQLObject()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}
