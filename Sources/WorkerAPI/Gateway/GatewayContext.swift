import GraphQLLite
import TaskCore

/// What every gateway resolver receives: the backend to call.
struct GatewayContext: Sendable {
    let backend: any WorkerBackend

    /// Runs a backend call, turning its ``TaskCoreError`` into a ``GraphQLError`` with the
    /// contract's `extensions.code` (NOT_FOUND, BAD_REQUEST, SERVICE_UNAVAILABLE, ...).
    func call<Output>(_ body: (any WorkerBackend) async throws(TaskCoreError) -> Output) async throws(GraphQLError) -> Output {
        do {
            return try await body(backend)
        } catch {
            throw Self.graphQLError(error)
        }
    }

    /// The GraphQL error a backend error becomes.
    static func graphQLError(_ error: TaskCoreError) -> GraphQLError {
        let (code, message) = GatewayErrorCode.describe(error)
        return GraphQLError(message, code: code)
    }

    /// A bad input error (`BAD_REQUEST`).
    static func badRequest(_ message: String) -> GraphQLError {
        GraphQLError(message, code: GatewayErrorCode.badRequest)
    }
}
