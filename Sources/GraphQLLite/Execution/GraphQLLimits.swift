/// Limits that keep hostile documents cheap to reject.
///
/// The defaults are generous for real clients (GraphiQL's introspection query is about 1,000
/// tokens, nesting depth 13) and stop abuse early.
public struct GraphQLLimits: Sendable, Hashable {
    /// The most tokens a document may have (punctuators, names, values).
    public var maxTokens: Int
    /// The deepest nesting of selection sets, lists, objects and types while parsing.
    public var maxDepth: Int
    /// The most field selections (counting each alias) a document may contain.
    public var maxFields: Int
    /// The most aliased fields a document may contain.
    public var maxAliases: Int
    /// The most bytes of document text.
    public var maxDocumentBytes: Int
    /// The most values one response may hold: every field of every object completed, plus every
    /// element of every list, introspection included. Beyond it execution stops, and the response is
    /// `data: null` with one error of code `RESPONSE_TOO_LARGE` (issue 12, D2: 500 aliased
    /// `__schema` selections in a 12 KB document used to answer 15 MB).
    public var maxResponseValues: Int

    /// Creates limits.
    /// - Parameters:
    ///   - maxTokens: tokens per document.
    ///   - maxDepth: nesting depth.
    ///   - maxFields: field selections per document.
    ///   - maxAliases: aliases per document.
    ///   - maxDocumentBytes: document size.
    ///   - maxResponseValues: values per response (default 100,000: about 4,000 tasks of 25 fields).
    public init(
        maxTokens: Int = 20_000,
        maxDepth: Int = 64,
        maxFields: Int = 5_000,
        maxAliases: Int = 500,
        maxDocumentBytes: Int = 1 << 20,
        maxResponseValues: Int = 100_000
    ) {
        self.maxResponseValues = maxResponseValues
        self.maxTokens = maxTokens
        self.maxDepth = maxDepth
        self.maxFields = maxFields
        self.maxAliases = maxAliases
        self.maxDocumentBytes = maxDocumentBytes
    }

    /// The defaults.
    public static let `default` = GraphQLLimits()
}
