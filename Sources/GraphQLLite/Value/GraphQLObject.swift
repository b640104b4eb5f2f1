/// An object of ``GraphQLValue``s whose members keep their insertion order.
///
/// Responses list fields in the order the query selected them, so results are built from this
/// rather than from a `Dictionary`. Lookup by key is a linear scan, which beats hashing for the
/// handful of members a GraphQL object has.
public struct GraphQLObject: Sendable, Hashable {
    /// The member names, in order.
    public private(set) var keys: [String]
    /// The member values, parallel to ``keys``.
    public private(set) var values: [GraphQLValue]

    /// An empty object.
    public init() {
        keys = []
        values = []
    }

    /// An object from parallel arrays of names and values (the caller keeps names unique).
    package init(keys: [String], values: [GraphQLValue]) {
        self.keys = keys
        self.values = values
    }

    /// The number of members.
    public var count: Int { keys.count }

    /// Whether there are no members.
    public var isEmpty: Bool { keys.isEmpty }

    /// The value of member `key`; setting `nil` removes it, setting a new key appends it.
    /// - Complexity: O(n) in the number of members.
    public subscript(key: String) -> GraphQLValue? {
        get {
            guard let index = index(of: key) else { return nil }
            return values[index]
        }
        set {
            if let index = index(of: key) {
                if let newValue {
                    values[index] = newValue
                } else {
                    keys.remove(at: index)
                    values.remove(at: index)
                }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    /// Appends a member without checking for an existing one of that name.
    package mutating func append(_ key: String, _ value: GraphQLValue) {
        keys.append(key)
        values.append(value)
    }

    /// The position of member `key`, if present.
    package func index(of key: String) -> Int? {
        for index in keys.indices where keys[index] == key { return index }
        return nil
    }
}

extension GraphQLObject: ExpressibleByDictionaryLiteral {
    /// Creates an object; members keep the literal's order.
    public init(dictionaryLiteral elements: (String, GraphQLValue)...) {
        self.init()
        for (key, value) in elements { self[key] = value }
    }
}

extension GraphQLObject: Sequence {
    /// Iterates the members as `(key, value)` pairs, in order.
    public func makeIterator() -> some IteratorProtocol<(key: String, value: GraphQLValue)> {
        var index = 0
        let keys = keys
        let values = values
        return AnyIterator {
            guard index < keys.count else { return nil }
            defer { index += 1 }
            return (keys[index], values[index])
        }
    }
}
