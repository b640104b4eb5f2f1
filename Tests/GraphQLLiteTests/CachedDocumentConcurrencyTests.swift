import GraphQLLite
import Testing

/// Which request a resolver runs for: resolvers echo it, so a value that crossed from another
/// request shows up as the wrong owner.
private struct RequestContext: Sendable { let owner: Int }
private struct Row: Sendable { let owner: Int; let index: Int }

/// Issue 11 item 3: one cached document, many concurrent requests with different variables and
/// contexts; no request may see another's variables, arguments, directives or context.
///
/// Run it under ThreadSanitizer with
/// `swift test --sanitize=thread --filter CachedDocumentConcurrencyTests` (see
/// Docs/GRAPHQL_DIFFERENTIAL.md for what TSan can and cannot see here). `scripts/test.sh` runs it
/// on the debug and on the optimised (-c release) build with the rest of GraphQLLiteTests.
@Suite(.timeLimit(.minutes(1)))
struct CachedDocumentConcurrencyTests {
    static let schema: GraphQLSchema = {
        let mode = GraphQLEnumType("Mode", names: ["PLAIN", "LOUD"])
        let input = GraphQLInputObjectType("Spec", fields: [
            GraphQLInputField("label", .nonNull(.string)),
            GraphQLInputField("times", .int, defaultValue: 1),
            GraphQLInputField("mode", "Mode", defaultValue: "PLAIN"),
        ])
        let row = GraphQLObjectType("Row", fields: [
            GraphQLField("index", .nonNull(.int)) { (row: Row, _, _: RequestContext) in row.index },
            // Suspends a different number of times per request, so requests interleave.
            GraphQLField("owner", .nonNull(.int)) { (row: Row, _, context: RequestContext) async throws in
                for _ in 0..<(row.index + context.owner) % 7 { await Task.yield() }
                return row.owner
            },
            GraphQLField("contextOwner", .nonNull(.int)) { (_: Row, _, context: RequestContext) in context.owner },
        ])
        let query = GraphQLObjectType("Query", fields: [
            GraphQLField("describe", .nonNull(.string), arguments: [GraphQLArgument("spec", .nonNull("Spec"))]) {
                (args: GraphQLArguments, context: RequestContext) async throws -> String in
                for _ in 0..<context.owner % 5 { await Task.yield() }
                let spec = args.object("spec") ?? GraphQLObject()
                let label = spec["label"]?.stringValue ?? "?"
                let text = Array(repeating: label, count: spec["times"]?.intValue ?? 0).joined(separator: "+")
                return spec["mode"] == "LOUD" ? text.uppercased() : text
            },
            GraphQLField("rows", .nonNull(.list(.nonNull("Row"))), arguments: [GraphQLArgument("owner", .nonNull(.int)), GraphQLArgument("count", .int, defaultValue: 2)]) {
                (args: GraphQLArguments, _: RequestContext) async throws in
                let owner = args.int("owner") ?? -1
                return (0..<(args.int("count") ?? 0)).map { Row(owner: owner, index: $0) }
            },
            GraphQLField("sum", .nonNull(.int), arguments: [GraphQLArgument("values", .nonNull(.list(.nonNull(.int))))]) {
                (args: GraphQLArguments, _: RequestContext) in (args.list("values") ?? []).compactMap(\.intValue).reduce(0, +)
            },
        ])
        do {
            return try GraphQLSchema(query: query, types: [mode, input, row])
        } catch {
            fatalError("\(error)")
        }
    }()

    static let document = """
    query Q($owner: Int!, $count: Int, $spec: Spec!, $values: [Int!]!, $withRows: Boolean!, $label: String!) {
      describe(spec: $spec)
      again: describe(spec: {label: $label, times: 2})
      ...Rows @include(if: $withRows)
      total: sum(values: $values)
    }
    fragment Rows on Query {
      rows(owner: $owner, count: $count) { index owner contextOwner }
      first: rows(owner: $owner, count: 1) { owner }
    }
    """

    /// The variables of request `n`, and the `data` it must get.
    static func request(_ n: Int) -> (variables: GraphQLObject, expected: GraphQLValue) {
        let count = n % 4
        let label = "r\(n)"
        let loud = n % 3 == 0
        let values = (0..<(n % 6)).map { $0 * n }
        let withRows = n % 2 == 0
        var variables: GraphQLObject = [
            "owner": .int(n), "spec": .object(["label": .string(label), "times": .int(n % 3 + 1), "mode": loud ? "LOUD" : "PLAIN"]),
            "values": .list(values.map(GraphQLValue.int)), "withRows": .bool(withRows), "label": .string(label),
        ]
        if n % 5 != 0 { variables["count"] = .int(count) }   // else the default, 2
        let text = Array(repeating: label, count: n % 3 + 1).joined(separator: "+")
        var data: GraphQLObject = ["describe": .string(loud ? text.uppercased() : text), "again": .string(label + "+" + label)]
        if withRows {
            let rows = (0..<(n % 5 != 0 ? count : 2)).map { index in
                GraphQLValue.object(["index": .int(index), "owner": .int(n), "contextOwner": .int(n)])
            }
            data["rows"] = .list(rows)
            data["first"] = .list([.object(["owner": .int(n)])])
        }
        data["total"] = .int(values.reduce(0, +))
        return (variables, .object(data))
    }

    @Test func concurrentRequestsOverOneCachedDocumentNeverSeeEachOther() async {
        let cache = GraphQLDocumentCache(capacity: 8)
        let engine = GraphQLEngine(schema: Self.schema, cache: cache)
        let requests = 400
        let wrong = await withTaskGroup(of: Int?.self) { group in
            for n in 0..<requests {
                group.addTask {
                    let (variables, expected) = Self.request(n)
                    let response = await engine.execute(Self.document, variables: variables, context: RequestContext(owner: n))
                    return response.errors.isEmpty && response.data == expected ? nil : n
                }
            }
            var wrong: [Int] = []
            for await failed in group { if let failed { wrong.append(failed) } }
            return wrong.sorted()
        }
        #expect(wrong.isEmpty, "requests that saw another request's values: \(wrong.prefix(20))")
        #expect(cache.count == 1, "every request used the one cached document")
    }

    @Test func bothOperationsOfACachedDocumentRunConcurrentlyWithTheirOwnVariables() async {
        let document = "query A($v: [Int!]!) { sum(values: $v) } query B($owner: Int!) { rows(owner: $owner, count: 1) { owner contextOwner } }"
        let engine = GraphQLEngine(schema: Self.schema)
        let wrong = await withTaskGroup(of: Bool.self) { group in
            for n in 0..<200 {
                group.addTask {
                    if n % 2 == 0 {
                        let response = await engine.execute(document, variables: ["v": [.int(n), .int(1)]], operationName: "A", context: RequestContext(owner: n))
                        return response.data != .object(["sum": .int(n + 1)])
                    }
                    let response = await engine.execute(document, variables: ["owner": .int(n)], operationName: "B", context: RequestContext(owner: n))
                    return response.data != .object(["rows": [.object(["owner": .int(n), "contextOwner": .int(n)])]])
                }
            }
            var wrong = 0
            for await failed in group where failed { wrong += 1 }
            return wrong
        }
        #expect(wrong == 0)
        #expect(engine.cache?.count == 1)
    }
}
