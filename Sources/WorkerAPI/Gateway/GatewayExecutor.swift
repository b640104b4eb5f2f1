import GraphQLLite
import TaskCore

/// Runs GraphQL requests against ``GatewaySchema`` for one backend, with a document cache keyed by
/// the document's text, and chooses the HTTP status of each answer.
struct GatewayExecutor: Sendable {
    /// The largest serialised response the gateway sends (issue 12, D2); a larger one is replaced by
    /// `{"data": null, "errors": [{"extensions": {"code": "RESPONSE_TOO_LARGE"}}]}`.
    static let maxResponseBytes = 16 << 20

    let engine: GraphQLEngine
    let context: GatewayContext

    init(backend: any WorkerBackend, cacheCapacity: Int) {
        self.engine = GraphQLEngine(
            schema: GatewaySchema.schema,
            cache: cacheCapacity > 0 ? GraphQLDocumentCache(capacity: cacheCapacity) : nil)
        self.context = GatewayContext(backend: backend)
    }

    /// Executes a request; over GET only queries may run.
    func response(
        _ query: String, variables: GraphQLObject, operationName: String?, allowMutations: Bool
    ) async -> GraphQLResponse {
        var response = await engine.execute(
            query, variables: variables, operationName: operationName, context: context,
            allowedOperations: allowMutations ? [.query, .mutation] : [.query])
        if response.failure == .request {
            // Variables that do not fit their types are bad input, like any other (BAD_REQUEST).
            for index in response.errors.indices where response.errors[index].code == "BAD_USER_INPUT" {
                response.errors[index].extensions["code"] = .string(GatewayErrorCode.badRequest)
            }
        }
        return response
    }

    /// Executes a request and renders the HTTP answer.
    func execute(_ request: GatewayGraphQLRequest, viaGET: Bool) async -> GatewayHTTPAnswer {
        let readOnly = GatewayRequestScope.current?.role == .read
        var result = await response(
            request.query, variables: request.variables, operationName: request.operationName,
            allowMutations: !viaGET && !readOnly)
        if let refusal = accessOutcome(request, result, viaGET: viaGET, readOnly: readOnly) { return refusal }
        if result.failure == .operationNotAllowed {
            // Apollo Server's wording, so clients of the reference gateway see what they expect.
            for index in result.errors.indices {
                result.errors[index].message = "Can only perform a mutation operation from a POST request."
            }
        }
        // Values within the engine's budget can still be large (task payloads of up to 1 MiB each,
        // repeated under up to 500 aliases): the writing stops at the limit instead of building the
        // whole response first (that held gigabytes for one request; issue 12).
        let body = result.jsonBytes(limit: Self.maxResponseBytes) ?? GatewayJSON.errorBody(
            message: "The response would be more than the limit of \(Self.maxResponseBytes) bytes; "
                + "select fewer fields or smaller pages.",
            code: "RESPONSE_TOO_LARGE")
        switch result.failure {
        case nil: return .json(status: 200, body)
        case .parse?, .validation?, .request?: return .json(status: 400, body)
        case .operationNotAllowed?: return .json(status: 405, body, extraHeaders: [("Allow", "POST")])
        }
    }
}
