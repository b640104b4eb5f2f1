import Foundation

extension GraphQLScalarType {
    /// `scalar JSON`: any JSON value. As input it accepts every literal (`{to: "a@b.c", n: [1, 2]}`;
    /// an enum literal becomes a string) and every variable value; resolvers return a
    /// ``GraphQLValue``, a ``GraphQLValueConvertible``, a `String`, `Int`, `Double`, `Bool`, or
    /// arrays and `[String: …]` dictionaries of those, or any `Encodable` value (encoded with
    /// `JSONEncoder`; conform to ``GraphQLValueConvertible`` to skip that detour).
    public static let json = GraphQLScalarType(
        "JSON",
        description: "Any JSON value: object, array, string, number, boolean or null.",
        serialize: { value throws(GraphQLError) in try jsonValue(of: value) },
        parseValue: { $0 }
    )

    /// `scalar DateTime`: an instant as ISO 8601 text in UTC with milliseconds
    /// (`2026-11-29T02:00:00.000Z`, what JavaScript's `toISOString` prints).
    ///
    /// Resolvers return a `Date` (or an ISO 8601 `String`). Inputs must be ISO 8601 date-times
    /// with a `Z` or `±hh:mm` offset; they arrive normalised to UTC with milliseconds.
    public static let dateTime = GraphQLScalarType(
        "DateTime",
        description: "An instant as an ISO 8601 string in UTC with milliseconds, e.g. 2026-11-29T02:00:00.000Z.",
        serialize: { value throws(GraphQLError) in
            if let date = value as? Date { return .string(ISO8601Instant.format(date)) }
            var text = value as? String
            if case .string(let string)? = value as? GraphQLValue { text = string }
            if let string = text {
                guard let date = ISO8601Instant.parse(string) else { throw GraphQLError("DateTime cannot represent an invalid date-time string: \"\(string)\".") }
                return .string(ISO8601Instant.format(date))
            }
            throw GraphQLError("DateTime cannot represent value: \(value)")
        },
        parseValue: { value throws(GraphQLError) in
            guard case .string(let string) = value else {
                throw GraphQLError("DateTime cannot represent a non string value: \(value.graphQLDescription)")
            }
            guard let date = ISO8601Instant.parse(string) else {
                throw GraphQLError("DateTime cannot represent an invalid date-time string: \"\(string)\"; expected ISO 8601 like 2026-11-29T02:00:00.000Z.")
            }
            return .string(ISO8601Instant.format(date))
        }
    )

    /// Converts what a resolver of a `JSON` field returned.
    static func jsonValue(of value: Any) throws(GraphQLError) -> GraphQLValue {
        switch value {
        case let value as GraphQLValue: return value
        case let value as any GraphQLValueConvertible: return value.graphQLValue
        case let value as String: return .string(value)
        case let value as Int: return .int(value)
        case let value as Double: return .float(value)
        case let value as Bool: return .bool(value)
        case let value as [Any]:
            var list: [GraphQLValue] = []
            for element in value { list.append(try jsonValue(of: element)) }
            return .list(list)
        case let value as [String: Any]:
            var object = GraphQLObject()
            for key in value.keys.sorted() { object.append(key, try jsonValue(of: value[key] ?? ())) }
            return .object(object)
        default:
            if let optional = value as? any OptionalMarker, optional.unwrappedAny == nil { return .null }
            // Any Encodable value (e.g. a JSON enum of another module) goes through JSONEncoder.
            if let encodable = value as? any Encodable,
               let data = try? JSONEncoder().encode(encodable),
               let converted = try? GraphQLValue(json: [UInt8](data)) {
                return converted
            }
            throw GraphQLError("JSON cannot represent value: \(value)")
        }
    }
}
