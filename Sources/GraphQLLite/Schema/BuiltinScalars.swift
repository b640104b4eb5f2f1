/// Serialisation and input coercion of the built-in scalars, with graphql-js's messages.
package enum BuiltinScalars {
    package static func serialize(_ builtin: GraphQLScalarType.Builtin, _ value: Any) throws(GraphQLError) -> GraphQLValue {
        switch builtin {
        case .string, .id:
            if let string = value as? String { return .string(string) }
            if let substring = value as? Substring { return .string(String(substring)) }
            if let int = value as? Int { return .string(String(int)) }
            if let graphQL = value as? GraphQLValue {
                switch graphQL {
                case .string: return graphQL
                case .int(let int): return .string(String(int))
                default: break
                }
            }
            if builtin == .string, let bool = value as? Bool { return .string(bool ? "true" : "false") }
            if builtin == .string, let double = value as? Double, double.isFinite { return .string(String(double)) }
            if let convertible = value as? any LosslessStringConvertible, builtin == .id { return .string(convertible.description) }
            throw GraphQLError("\(builtin == .id ? "ID" : "String") cannot represent value: \(describe(value))")
        case .int:
            if let int = value as? Int { return try int32(int, value) }
            if let int = value as? Int32 { return .int(Int(int)) }
            if let int = value as? Int64 { return try int32(Int(int), value) }
            if let bool = value as? Bool { return .int(bool ? 1 : 0) }
            if let double = value as? Double {
                guard let int = Int(exactly: double) else { throw GraphQLError("Int cannot represent non-integer value: \(describe(value))") }
                return try int32(int, value)
            }
            if case .int(let int)? = value as? GraphQLValue { return try int32(int, value) }
            throw GraphQLError("Int cannot represent non-integer value: \(describe(value))")
        case .float:
            if let double = value as? Double, double.isFinite { return .float(double) }
            if let float = value as? Float, float.isFinite { return .float(Double(float)) }
            if let int = value as? Int { return .float(Double(int)) }
            if let bool = value as? Bool { return .float(bool ? 1 : 0) }
            if let graphQL = value as? GraphQLValue, let double = graphQL.doubleValue { return .float(double) }
            throw GraphQLError("Float cannot represent non numeric value: \(describe(value))")
        case .boolean:
            if let bool = value as? Bool { return .bool(bool) }
            if case .bool(let bool)? = value as? GraphQLValue { return .bool(bool) }
            if let int = value as? Int, int == 0 || int == 1 { return .bool(int == 1) }
            throw GraphQLError("Boolean cannot represent a non boolean value: \(describe(value))")
        }
    }

    private static func int32(_ int: Int, _ original: Any) throws(GraphQLError) -> GraphQLValue {
        guard int >= Int(Int32.min), int <= Int(Int32.max) else {
            throw GraphQLError("Int cannot represent non 32-bit signed integer value: \(describe(original))")
        }
        return .int(int)
    }

    /// Input coercion: what variables and literals of the built-in scalars may be.
    package static func parse(_ builtin: GraphQLScalarType.Builtin, _ value: GraphQLValue) throws(GraphQLError) -> GraphQLValue {
        switch (builtin, value) {
        case (.string, .string), (.boolean, .bool): return value
        case (.int, .int(let int)):
            guard int >= Int(Int32.min), int <= Int(Int32.max) else {
                throw GraphQLError("Int cannot represent non 32-bit signed integer value: \(int)")
            }
            return value
        case (.float, .int(let int)): return .float(Double(int))
        case (.float, .float): return value
        case (.id, .string): return value
        case (.id, .int(let int)): return .string(String(int))
        case (.string, _): throw GraphQLError("String cannot represent a non string value: \(value.graphQLDescription)")
        case (.int, _): throw GraphQLError("Int cannot represent non-integer value: \(value.graphQLDescription)")
        case (.float, _): throw GraphQLError("Float cannot represent non numeric value: \(value.graphQLDescription)")
        case (.boolean, _): throw GraphQLError("Boolean cannot represent a non boolean value: \(value.graphQLDescription)")
        case (.id, _): throw GraphQLError("ID cannot represent value: \(value.graphQLDescription)")
        }
    }

    private static func describe(_ value: Any) -> String {
        if let string = value as? String { return GraphQLValue.string(string).graphQLDescription }
        if let graphQL = value as? GraphQLValue { return graphQL.graphQLDescription }
        return String(describing: value)
    }
}
