/// The identifier of a task: a positive integer handed out in increasing order, written as a string
/// in JSON ("1", "2", ...) as the contract and the reference do.
public struct TaskID: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
    public init(_ value: Int64) { self.rawValue = value }
    public init(integerLiteral value: Int64) { self.rawValue = value }

    /// Parses the string form; `nil` unless it is a canonical decimal number of ASCII digits in range
    /// (no sign, no leading zero).
    public init?(_ string: some StringProtocol) {
        guard let value = parseDecimalID(string) else { return nil }
        self.rawValue = value
    }

    public var description: String { String(rawValue) }
    public static func < (lhs: TaskID, rhs: TaskID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self), let id = TaskID(text) {
            self = id
        } else {
            self.rawValue = try container.decode(Int64.self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The identifier of a cron job, with the same form as ``TaskID``.
public struct JobID: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
    public init(_ value: Int64) { self.rawValue = value }
    public init(integerLiteral value: Int64) { self.rawValue = value }

    /// Parses the string form; `nil` unless it is a canonical decimal number of ASCII digits in range
    /// (no sign, no leading zero).
    public init?(_ string: some StringProtocol) {
        guard let value = parseDecimalID(string) else { return nil }
        self.rawValue = value
    }

    public var description: String { String(rawValue) }
    public static func < (lhs: JobID, rhs: JobID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self), let id = JobID(text) {
            self = id
        } else {
            self.rawValue = try container.decode(Int64.self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Accepts 1...19 ASCII digits (no sign, no spaces, no leading zero: `01` is not id 1, so each id has
/// exactly one spelling) that fit in a positive `Int64`.
private func parseDecimalID(_ string: some StringProtocol) -> Int64? {
    let utf8 = string.utf8
    guard !utf8.isEmpty, utf8.count <= 19 else { return nil }
    if utf8.count > 1, utf8.first == 0x30 { return nil }
    var value: Int64 = 0
    for byte in utf8 {
        guard byte >= 0x30, byte <= 0x39 else { return nil }
        let (times10, o1) = value.multipliedReportingOverflow(by: 10)
        let (sum, o2) = times10.addingReportingOverflow(Int64(byte - 0x30))
        guard !o1, !o2 else { return nil }
        value = sum
    }
    return value
}
