/// A GraphQL request as an HTTP body or query string carries it.
public struct GraphQLRequest: Sendable, Hashable {
    /// The document text.
    public var query: String
    /// The variables (empty when none).
    public var variables: GraphQLObject
    /// The operation to run.
    public var operationName: String?

    /// Creates a request.
    public init(query: String, variables: GraphQLObject = GraphQLObject(), operationName: String? = nil) {
        self.query = query
        self.variables = variables
        self.operationName = operationName
    }

    /// Decodes a JSON body `{"query": "...", "variables": {...}, "operationName": "..."}`.
    /// - Parameter json: the body bytes (UTF-8).
    /// - Throws: a ``GraphQLError`` with code `BAD_REQUEST` naming what is wrong (invalid JSON,
    ///   missing `query`, `variables` not an object, `operationName` not a string).
    public init(json: [UInt8]) throws(GraphQLError) {
        let body: GraphQLValue
        do {
            body = try GraphQLValue(json: json)
        } catch {
            throw GraphQLError("Invalid JSON body: \(error.message)", code: "BAD_REQUEST")
        }
        guard case .object(let members) = body else {
            throw GraphQLError("The request body must be a JSON object.", code: "BAD_REQUEST")
        }
        guard case .string(let query)? = members["query"] else {
            throw GraphQLError("The request must have a string member 'query'.", code: "BAD_REQUEST")
        }
        var variables = GraphQLObject()
        switch members["variables"] {
        case nil, .null?: break
        case .object(let object)?: variables = object
        default: throw GraphQLError("'variables' must be a JSON object.", code: "BAD_REQUEST")
        }
        var operationName: String?
        switch members["operationName"] {
        case nil, .null?: break
        case .string(let name)?: operationName = name
        default: throw GraphQLError("'operationName' must be a string.", code: "BAD_REQUEST")
        }
        self.init(query: query, variables: variables, operationName: operationName)
    }
}
