/// A GraphQL-over-HTTP request that could not be read: malformed JSON, a missing `query`, a
/// parameter of the wrong type. The gateway answers it with status 400 and a GraphQL-shaped body
/// (`{"errors": [{"message", "extensions": {"code": "BAD_REQUEST"}}]}`).
struct GatewayRequestError: Error, Hashable, Sendable {
    /// What was wrong, naming the field and what was expected.
    var message: String
    /// The HTTP status to answer with.
    var status: Int = 400
    /// The `extensions.code` of the error; `nil` means the status's default (`BAD_REQUEST`, or
    /// `PAYLOAD_TOO_LARGE` for 413).
    var code: String? = nil

    /// An automatic-persisted-query request (`extensions.persistedQuery` without `query`): this
    /// gateway keeps no persisted queries, so the answer tells the client (Apollo's link, for one)
    /// to send the document itself, which it then does.
    static let persistedQueryNotFound = GatewayRequestError(
        message: "PersistedQueryNotFound", code: "PERSISTED_QUERY_NOT_FOUND")
}
