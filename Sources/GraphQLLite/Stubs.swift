// Temporary stubs, replaced as the engine lands.
package enum Parser {
    package static func parse(_ text: String, limits: GraphQLLimits) throws(GraphQLError) -> GraphQLDocument {
        throw GraphQLError("not implemented", code: "GRAPHQL_PARSE_FAILED")
    }
}
extension GraphQLSchema {
    /// Validates a document against this schema with all the standard rules.
    public func validate(_ document: GraphQLDocument, limits: GraphQLLimits = .default) -> [GraphQLError] { [] }
    /// The schema in SDL.
    public var sdl: String { "" }
}
package enum Executor {
    static func run(schema: GraphQLSchema, document: GraphQLDocument, variables: GraphQLObject, operationName: String?,
                    context: any Sendable, rootValue: any Sendable, allowedOperations: Set<GraphQLOperationType>) async -> GraphQLResponse {
        GraphQLResponse(data: nil, errors: [GraphQLError("not implemented")], failure: .request)
    }
}
package final class PlanCache: Sendable { init() {} }
package enum Introspection { static var types: [any GraphQLNamedType] { [] } }
extension GraphQLValue {
    var graphQLDescription: String { "\(self)" }
    /// Parses JSON.
    public init(json: [UInt8]) throws(GraphQLError) { throw GraphQLError("not implemented") }
}
