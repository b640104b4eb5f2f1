import Foundation
import GraphQLLite
import TaskCore

extension GatewaySchema {
    /// `scalar JSON`: any JSON value. Accepts any literal (`{to: "a@b.c", n: [1, 2]}`) or variable;
    /// serialises TaskCore's ``JSONValue``.
    static let jsonScalar = GraphQLScalarType(
        "JSON",
        description: "Any JSON value: an object, array, string, number, boolean or null.",
        serialize: { value in
            if let json = value as? JSONValue { return graphQLValue(json) }
            if let graphQL = value as? GraphQLValue { return graphQL }
            throw GraphQLError("JSON cannot represent a value of type \(type(of: value))")
        },
        parseValue: { value in value })

    /// `scalar DateTime`: an ISO 8601 instant, written as `2026-11-29T02:00:00.000Z` (UTC, milliseconds).
    /// Inputs may use any offset (`2026-11-29T03:00:00+01:00`); they are normalised to UTC.
    static let dateTimeScalar = GraphQLScalarType(
        "DateTime",
        description: "An ISO 8601 instant in UTC with milliseconds, e.g. 2026-11-29T02:00:00.000Z.",
        serialize: { value in
            if let date = value as? Date { return .string(Timestamp.format(date)) }
            if let text = value as? String, let date = Timestamp.parse(text) { return .string(Timestamp.format(date)) }
            throw GraphQLError("DateTime cannot represent a value of type \(type(of: value))")
        },
        parseValue: { value in
            guard case .string(let text) = value else {
                throw GraphQLError("DateTime: expected an ISO 8601 string such as \"2026-11-29T02:00:00.000Z\", found \(describe(value))")
            }
            guard let date = Timestamp.parse(text) else {
                throw GraphQLError("DateTime: '\(text.prefix(100))' is not an ISO 8601 instant such as \"2026-11-29T02:00:00.000Z\"")
            }
            return .string(Timestamp.format(date))
        })

    /// A ``JSONValue`` as a ``GraphQLValue``.
    static func graphQLValue(_ json: JSONValue) -> GraphQLValue {
        switch json {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .integer(let number):
            if let exact = Int(exactly: number) { return .int(exact) }
            return .float(Double(number))
        case .double(let number): return .float(number)
        case .string(let text): return .string(text)
        case .array(let elements): return .list(elements.map(graphQLValue))
        case .object(let members):
            // The keys are unique: appended, not looked up one by one (that was quadratic: a payload
            // of 60,000 keys took minutes per occurrence in a response; issue 12).
            let keys = members.keys.sorted()
            return .object(GraphQLObject(keys: keys, values: keys.map { graphQLValue(members[$0]!) }))
        }
    }

    /// A ``GraphQLValue`` (an input) as a ``JSONValue``.
    static func jsonValue(_ value: GraphQLValue) -> JSONValue {
        switch value {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .integer(Int64(number))
        case .float(let number): return .double(number)
        case .string(let text): return .string(text)
        case .list(let elements): return .array(elements.map(jsonValue))
        case .object(let object):
            var members: [String: JSONValue] = [:]
            for (key, member) in object { members[key] = jsonValue(member) }
            return .object(members)
        }
    }

    /// "a string", "a number", ... for error messages.
    static func describe(_ value: GraphQLValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .float: "a number"
        case .string: "a string"
        case .list: "a list"
        case .object: "an object"
        }
    }
}
