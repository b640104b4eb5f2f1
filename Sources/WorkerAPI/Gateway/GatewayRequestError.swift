/// A GraphQL-over-HTTP request that could not be read: malformed JSON, a missing `query`, a
/// parameter of the wrong type. The gateway answers it with status 400 and a GraphQL-shaped body
/// (`{"errors": [{"message", "extensions": {"code": "BAD_REQUEST"}}]}`).
struct GatewayRequestError: Error, Hashable, Sendable {
    /// What was wrong, naming the field and what was expected.
    var message: String
    /// The HTTP status to answer with.
    var status: Int = 400
}
