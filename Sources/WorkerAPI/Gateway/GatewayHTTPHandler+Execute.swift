public import GraphQLLite

extension GatewayHTTPHandler {
    /// Runs a GraphQL request without HTTP: for tests, benchmarks and embedders.
    /// - Parameters:
    ///   - query: the document text.
    ///   - variables: the variable values.
    ///   - operationName: which operation to run when the document has several.
    ///   - allowMutations: `false` refuses mutations (``GraphQLFailure/operationNotAllowed``), as over GET.
    /// - Returns: the response; ``GraphQLResponse/failure`` tells whether it ran.
    public func execute(
        _ query: String, variables: GraphQLObject = GraphQLObject(), operationName: String? = nil,
        allowMutations: Bool = true
    ) async -> GraphQLResponse {
        await executor.response(query, variables: variables, operationName: operationName, allowMutations: allowMutations)
    }
}
