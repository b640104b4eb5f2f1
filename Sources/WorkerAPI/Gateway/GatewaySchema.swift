public import GraphQLLite

/// The gateway's GraphQL schema: the contract's SDL (API.md section 3), with resolvers that call a
/// ``WorkerBackend``.
///
/// Resolvers expect the gateway's own context, so run requests through ``GatewayHTTPHandler``
/// (over HTTP, or its ``GatewayHTTPHandler/execute(_:variables:operationName:allowMutations:)``).
public enum GatewaySchema {
    /// The schema, built once.
    public static let schema: GraphQLSchema = {
        do {
            return try GraphQLSchema(
                query: queryType,
                mutation: mutationType,
                subscription: subscriptionType,
                types: [
                    jsonScalar, dateTimeScalar, taskStatusEnum, jobStatusEnum, priorityEnum, taskType, taskLogType,
                    taskListType, taskStatsType, jobType, createTaskInput, createJobInput, updateJobInput,
                ] + workflowTypes)
        } catch {
            // The schema is fixed in code; a failure here is a programming error that every test catches.
            fatalError("The gateway schema is invalid: \(error)")
        }
    }()
}
