import Synchronization

/// How many values one response may still hold (``GraphQLLimits/maxResponseValues``), shared by the
/// concurrent child tasks of one execution.
///
/// Every object completed spends its field count, every list its length. Once the budget is spent
/// every further object and list fails at once (a ``NullBubble``, so nothing more is resolved), and
/// the executor answers with ``response(position:)`` instead of a partial result.
package final class ResponseBudget: Sendable {
    /// The most values allowed.
    package let limit: Int
    private let spent = Atomic<Int>(0)

    package init(limit: Int) {
        self.limit = max(0, limit)
    }

    /// Spends `count` values.
    /// - Throws: ``NullBubble`` when the budget is exceeded.
    /// - Complexity: O(1): one relaxed atomic add.
    @inline(__always)
    package func spend(_ count: Int) throws(NullBubble) {
        let total = spent.wrappingAdd(count, ordering: .relaxed).newValue
        if total > limit { throw NullBubble() }
    }

    /// Whether more than ``limit`` values were asked for.
    package var exceeded: Bool { spent.load(ordering: .relaxed) > limit }

    /// The answer when the budget ran out: no data, one error that says which limit and what to do.
    package func response(position: SourcePosition) -> GraphQLResponse {
        GraphQLResponse(
            data: nil,
            errors: [
                GraphQLError(
                    "The response would hold more than \(limit) values (fields and list elements); "
                        + "select fewer fields, fewer aliases or smaller pages.",
                    code: "RESPONSE_TOO_LARGE", locations: [position.location])
            ])
    }
}
