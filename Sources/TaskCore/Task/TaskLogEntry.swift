public import Foundation

/// One line of a task's log.
public struct TaskLogEntry: Hashable, Sendable, Codable {
    /// The severity of a log line.
    public enum Level: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
        case debug, info, warn, error
        public var description: String { rawValue }
    }

    public var timestamp: Date
    public var level: Level
    public var message: String
    /// The attempt the line belongs to, or `nil` for lines written outside an attempt.
    public var attempt: Int?

    public init(timestamp: Date, level: Level, message: String, attempt: Int? = nil) {
        self.timestamp = timestamp
        self.level = level
        self.message = message
        self.attempt = attempt
    }

    private enum CodingKeys: String, CodingKey { case timestamp, level, message, attempt }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        timestamp = try c.decodeTimestamp(forKey: .timestamp)
        level = try c.decode(Level.self, forKey: .level)
        message = try c.decode(String.self, forKey: .message)
        attempt = try c.decodeIfPresent(Int.self, forKey: .attempt)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Timestamp.format(timestamp), forKey: .timestamp)
        try c.encode(level, forKey: .level)
        try c.encode(message, forKey: .message)
        try c.encodeNullable(attempt, forKey: .attempt)
    }
}
