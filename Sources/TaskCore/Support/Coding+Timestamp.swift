package import Foundation

extension KeyedDecodingContainer {
    /// Decodes a contract timestamp string.
    package func decodeTimestamp(forKey key: Key) throws -> Date {
        let text = try decode(String.self, forKey: key)
        guard let date = Timestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "\(key.stringValue): '\(text)' is not an ISO 8601 timestamp")
        }
        return date
    }

    /// Decodes an optional contract timestamp string (missing or null give `nil`).
    package func decodeTimestampIfPresent(forKey key: Key) throws -> Date? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let date = Timestamp.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "\(key.stringValue): '\(text)' is not an ISO 8601 timestamp")
        }
        return date
    }
}

extension KeyedEncodingContainer {
    /// Encodes `value`, or an explicit `null` (the contract lists every field, set or not).
    package mutating func encodeNullable<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value {
            try encode(value, forKey: key)
        } else {
            try encodeNil(forKey: key)
        }
    }
}
