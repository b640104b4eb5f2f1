/// A task priority: an integer in 1...20, higher runs first.
///
/// The named levels are ``low`` (1), ``normal`` (5, the default), ``high`` (10) and ``critical`` (20).
public struct Priority: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The numeric value, always in ``range``.
    public let rawValue: Int

    /// The allowed values.
    public static let range: ClosedRange<Int> = 1...20

    public static let low = Priority(uncheckedValue: 1)
    public static let normal = Priority(uncheckedValue: 5)
    public static let high = Priority(uncheckedValue: 10)
    public static let critical = Priority(uncheckedValue: 20)

    /// The four named levels, lowest first.
    public static let namedLevels: [(name: String, priority: Priority)] = [
        ("LOW", .low), ("NORMAL", .normal), ("HIGH", .high), ("CRITICAL", .critical),
    ]

    /// Creates a priority, or returns `nil` outside 1...20.
    public init?(rawValue: Int) {
        guard Self.range.contains(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// Creates a priority.
    /// - Throws: ``TaskCoreError`` with code `invalidArgument` outside 1...20.
    public init(validating value: Int) throws(TaskCoreError) {
        guard let priority = Priority(rawValue: value) else {
            throw .invalidArgument("priority", "priority: \(value) is out of range 1-20")
        }
        self = priority
    }

    /// Parses a number ("7") or a level name in any case ("high").
    /// - Throws: ``TaskCoreError`` with code `invalidArgument` for anything else.
    public init(parsing text: String) throws(TaskCoreError) {
        if let number = Int(text) {
            try self.init(validating: number)
            return
        }
        let upper = text.uppercased()
        guard let level = Self.namedLevels.first(where: { $0.name == upper }) else {
            throw .invalidArgument(
                "priority",
                "priority: '\(TaskCoreError.excerpt(text))' is not a number in 1-20 or one of LOW, NORMAL, HIGH, CRITICAL")
        }
        self = level.priority
    }

    private init(uncheckedValue: Int) { self.rawValue = uncheckedValue }

    /// The name of the highest named level at or below this value: 7 is `NORMAL`, 20 is `CRITICAL`.
    public var levelName: String {
        Self.namedLevels.last(where: { $0.priority.rawValue <= rawValue })!.name
    }

    public var description: String { String(rawValue) }
    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            self = try Priority(validating: number)
        } else {
            self = try Priority(parsing: container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
