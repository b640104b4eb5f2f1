extension GraphQLValue {
    /// The value as a GraphQL literal (`"text"`, `[1, 2]`, `{a: true}`), as graphql-js prints values in messages.
    package var graphQLDescription: String {
        switch self {
        case .null: "null"
        case .bool(let bool): bool ? "true" : "false"
        case .int(let int): String(int)
        case .float(let double): double.description
        case .string: jsonString()
        case .list(let list): "[" + list.map(\.graphQLDescription).joined(separator: ", ") + "]"
        case .object(let object):
            object.isEmpty ? "{}" : "{" + zip(object.keys, object.values).map { "\($0): \($1.graphQLDescription)" }.joined(separator: ", ") + "}"
        }
    }
}
