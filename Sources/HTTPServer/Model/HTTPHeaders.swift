/// An ordered list of HTTP header fields with case-insensitive lookup by name.
///
/// Field order and the original spelling of names are kept; repeated fields stay separate entries.
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// The fields in the order they were received or added.
    public private(set) var fields: [(name: String, value: String)]

    /// Creates an empty header list.
    public init() { fields = [] }

    /// Creates a header list from name/value pairs, keeping their order.
    /// - Parameter fields: The fields, e.g. `[("Content-Type", "application/json")]`.
    public init(_ fields: [(name: String, value: String)]) { self.fields = fields }

    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { (name: $0.0, value: $0.1) }
    }

    /// The number of fields.
    public var count: Int { fields.count }

    /// The value of the first field named `name` (case-insensitive), or `nil`.
    /// - Complexity: O(*n*) in the number of fields.
    public subscript(name: String) -> String? {
        for field in fields where Self.namesEqual(field.name, name) { return field.value }
        return nil
    }

    /// Every value of the fields named `name` (case-insensitive), in order.
    /// - Parameter name: The field name.
    /// - Returns: The values; empty when there is no such field.
    public func values(for name: String) -> [String] {
        fields.filter { Self.namesEqual($0.name, name) }.map(\.value)
    }

    /// Whether a field named `name` exists (case-insensitive).
    public func contains(_ name: String) -> Bool { self[name] != nil }

    /// Appends a field, keeping any existing fields of the same name.
    /// - Parameters:
    ///   - value: The field value.
    ///   - name: The field name.
    public mutating func add(_ value: String, for name: String) { fields.append((name: name, value: value)) }

    /// Replaces every field named `name` (case-insensitive) with one field.
    /// - Parameters:
    ///   - value: The new value.
    ///   - name: The field name.
    public mutating func set(_ value: String, for name: String) {
        remove(name)
        fields.append((name: name, value: value))
    }

    /// Removes every field named `name` (case-insensitive).
    public mutating func remove(_ name: String) {
        fields.removeAll { Self.namesEqual($0.name, name) }
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// ASCII case-insensitive comparison of two field names without allocating.
    static func namesEqual(_ lhs: String, _ rhs: String) -> Bool {
        guard lhs.utf8.count == rhs.utf8.count else { return false }
        var left = lhs.utf8.makeIterator()
        var right = rhs.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return true
            case let (l?, r?): if asciiLower(l) != asciiLower(r) { return false }
            default: return false
            }
        }
    }
}

/// Lower-cases an ASCII letter byte; other bytes pass through.
@inline(__always) func asciiLower(_ byte: UInt8) -> UInt8 {
    byte &- 0x41 < 26 ? byte | 0x20 : byte
}
