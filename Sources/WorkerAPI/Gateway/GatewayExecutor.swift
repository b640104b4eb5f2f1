import TaskCore

/// Runs GraphQL requests against the gateway schema (placeholder until GraphQLLite lands).
struct GatewayExecutor: Sendable {
    let backend: any WorkerBackend
    let cacheCapacity: Int

    init(backend: any WorkerBackend, cacheCapacity: Int) {
        self.backend = backend
        self.cacheCapacity = cacheCapacity
    }

    func execute(_ request: GatewayGraphQLRequest, viaGET: Bool) async -> GatewayHTTPAnswer {
        .graphQLError(status: 501, message: "not implemented", code: GatewayErrorCode.internalServerError)
    }
}
