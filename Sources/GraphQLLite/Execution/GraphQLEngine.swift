/// The entry point: parses, validates and executes requests against a schema.
///
/// Build one per schema at start-up and share it (it is `Sendable`); validated documents are
/// cached by text in its ``cache``.
/// ```swift
/// let engine = GraphQLEngine(schema: schema)
/// let response = await engine.execute("{ task(taskId: \"1\") { id status } }", context: myContext)
/// let body: [UInt8] = response.jsonBytes()
/// ```
public final class GraphQLEngine: Sendable {
    /// The schema requests run against.
    public let schema: GraphQLSchema
    /// The limits documents must keep.
    public let limits: GraphQLLimits
    /// Parsed and validated documents by text; `nil` disables caching.
    public let cache: GraphQLDocumentCache?

    /// Creates an engine.
    /// - Parameters:
    ///   - schema: the schema.
    ///   - limits: limits on documents.
    ///   - cache: where validated documents are kept between requests; pass `nil` to disable.
    public init(schema: GraphQLSchema, limits: GraphQLLimits = .default, cache: GraphQLDocumentCache? = GraphQLDocumentCache()) {
        self.schema = schema
        self.limits = limits
        self.cache = cache
    }

    /// Parses, validates (using the cache) and executes a request.
    /// - Parameters:
    ///   - query: the document text.
    ///   - variables: variable values as JSON-like values (see ``GraphQLValue/init(json:)``).
    ///   - operationName: which operation to run when the document has several.
    ///   - context: handed to every resolver (typed resolvers cast it to their `Context`).
    ///   - rootValue: the source of root fields.
    ///   - allowedOperations: operation types that may run; others fail with
    ///     ``GraphQLFailure/operationNotAllowed`` (e.g. pass `[.query]` for HTTP GET).
    /// - Returns: the response; never throws: every problem is an error in the response.
    public func execute(
        _ query: String,
        variables: GraphQLObject = GraphQLObject(),
        operationName: String? = nil,
        context: any Sendable = (),
        rootValue: any Sendable = (),
        allowedOperations: Set<GraphQLOperationType> = [.query, .mutation]
    ) async -> GraphQLResponse {
        let document: GraphQLDocument
        switch prepare(query) {
        case .success(let prepared): document = prepared
        case .failure(let box): return box.response
        }
        return await execute(
            document: document, variables: variables, operationName: operationName,
            context: context, rootValue: rootValue, allowedOperations: allowedOperations
        )
    }

    /// Executes a decoded HTTP request (see ``GraphQLRequest``).
    /// - Parameters:
    ///   - request: query, variables and operation name.
    ///   - context: handed to every resolver.
    ///   - allowedOperations: operation types that may run.
    /// - Returns: the response.
    public func execute(
        _ request: GraphQLRequest,
        context: any Sendable = (),
        allowedOperations: Set<GraphQLOperationType> = [.query, .mutation]
    ) async -> GraphQLResponse {
        await execute(
            request.query, variables: request.variables, operationName: request.operationName,
            context: context, allowedOperations: allowedOperations
        )
    }

    /// Executes a document that ``validate(_:)`` accepted.
    /// - Parameters:
    ///   - document: a parsed, valid document.
    ///   - variables: variable values.
    ///   - operationName: which operation to run.
    ///   - context: handed to every resolver.
    ///   - rootValue: the source of root fields.
    ///   - allowedOperations: operation types that may run.
    /// - Returns: the response.
    public func execute(
        document: GraphQLDocument,
        variables: GraphQLObject = GraphQLObject(),
        operationName: String? = nil,
        context: any Sendable = (),
        rootValue: any Sendable = (),
        allowedOperations: Set<GraphQLOperationType> = [.query, .mutation]
    ) async -> GraphQLResponse {
        await Executor.run(
            schema: schema, document: document, variables: variables, operationName: operationName,
            context: context, rootValue: rootValue, allowedOperations: allowedOperations
        )
    }

    /// Parses a document (without validating it).
    /// - Parameter text: the document text.
    /// - Returns: the document.
    /// - Throws: a ``GraphQLError`` with code `GRAPHQL_PARSE_FAILED` and the location.
    public func parse(_ text: String) throws(GraphQLError) -> GraphQLDocument {
        try GraphQLDocument(parsing: text, limits: limits)
    }

    /// Validates a document against the schema with all the rules.
    /// - Parameter document: a parsed document.
    /// - Returns: the errors (code `GRAPHQL_VALIDATION_FAILED`), empty when valid.
    public func validate(_ document: GraphQLDocument) -> [GraphQLError] {
        schema.validate(document, limits: limits)
    }

    /// Parses and validates `text`, through the cache.
    func prepare(_ text: String) -> Result<GraphQLDocument, GraphQLResponseBox> {
        if let cached = cache?.document(for: text) { return .success(cached) }
        let document: GraphQLDocument
        do {
            document = try parse(text)
        } catch {
            return .failure(GraphQLResponseBox(GraphQLResponse(data: nil, errors: [error], failure: .parse)))
        }
        let errors = validate(document)
        guard errors.isEmpty else {
            return .failure(GraphQLResponseBox(GraphQLResponse(data: nil, errors: errors, failure: .validation)))
        }
        cache?.store(document, for: text)
        return .success(document)
    }
}

/// A response carried as the failure of a `Result`.
struct GraphQLResponseBox: Error {
    let response: GraphQLResponse
    init(_ response: GraphQLResponse) { self.response = response }
}
