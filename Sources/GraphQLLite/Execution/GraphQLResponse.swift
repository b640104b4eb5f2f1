/// The result of a request, shaped as the spec says: `{"data": ..., "errors": [...]}`.
public struct GraphQLResponse: Sendable, Hashable {
    /// The data; `nil` when execution did not start (a parse, validation or request error), so
    /// the response has no `data` member. `.null` when a non-null root field failed.
    public var data: GraphQLValue?
    /// The errors, in the order they were found.
    public var errors: [GraphQLError]
    /// Why the request failed before execution, if it did. `nil` for a request that executed
    /// (field errors may still be present in ``errors``).
    public var failure: GraphQLFailure?

    /// Creates a response.
    public init(data: GraphQLValue?, errors: [GraphQLError] = [], failure: GraphQLFailure? = nil) {
        self.data = data
        self.errors = errors
        self.failure = failure
    }
}

/// Why a request was refused before execution; lets a server choose an HTTP status.
public enum GraphQLFailure: String, Sendable, Hashable {
    /// The document has a syntax error or exceeds a limit (`GRAPHQL_PARSE_FAILED`).
    case parse
    /// The document is invalid against the schema (`GRAPHQL_VALIDATION_FAILED`).
    case validation
    /// The operation or variables are wrong: unknown `operationName`, several operations and no
    /// name, variables of the wrong type (`BAD_USER_INPUT`), a subscription.
    case request
    /// The operation's type is not among the allowed ones (e.g. a mutation over HTTP GET).
    case operationNotAllowed
}
