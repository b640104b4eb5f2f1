// Temporary stubs, replaced as the engine lands.
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
