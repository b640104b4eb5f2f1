import GraphQLLite
import Testing

private struct Context: Sendable {}
private struct Box: Sendable { let n: Int }
private struct Plain: Error, CustomStringConvertible { var description: String { "disk on fire" } }

/// Fields that suspend run concurrently in a task group (queries). Each must land in its own slot
/// with its own error path, whatever order the children finish in; issue 11 found the optimised
/// build putting the last child's value in slot 0. `scripts/test.sh` runs this on -c release too.
@Suite(.timeLimit(.minutes(1)))
struct ConcurrentFieldExecutionTests {
    static let engine: GraphQLEngine = {
        let box = GraphQLObjectType("Box", fields: [
            GraphQLField("n", .nonNull(.int)) { (box: Box, _, _: Context) in box.n },
            // Later children finish first: the order of completion is the reverse of the document's.
            GraphQLField("slowN", .nonNull(.int)) { (box: Box, _, _: Context) async throws in
                for _ in 0..<(50 - box.n % 50) { await Task.yield() }
                return box.n
            },
        ])
        let query = GraphQLObjectType("Query", fields: [
            GraphQLField("box", "Box", arguments: [GraphQLArgument("n", .nonNull(.int))]) { (args, _: Context) async throws in
                let n = args.int("n") ?? -1
                for _ in 0..<(50 - n % 50) { await Task.yield() }
                return Box(n: n)
            },
            GraphQLField("boxes", .nonNull(.list(.nonNull("Box")))) { (_, _: Context) async throws in
                (0..<5).map { Box(n: $0) }
            },
            GraphQLField("broken", .int) { (_, _: Context) async throws -> Int in throw Plain() },
        ])
        return GraphQLEngine(schema: try! GraphQLSchema(query: query, types: [box]))
    }()

    @Test(arguments: [2, 3, 17, 150, 400])
    func everyAsyncAliasGetsItsOwnValue(count: Int) async {
        let document = "{ " + (0..<count).map { "b\($0): box(n: \($0)) { n slowN }" }.joined(separator: " ") + " }"
        let response = await Self.engine.execute(document, context: Context())
        #expect(response.errors.isEmpty)
        let wrong = (0..<count).filter {
            response.data?["b\($0)"] != .object(["n": .int($0), "slowN": .int($0)])
        }
        #expect(wrong.isEmpty, "aliases holding another's value or null: \(wrong.prefix(10))")
    }

    @Test func asyncFieldsInsideListItemsKeepTheirItems() async {
        let response = await Self.engine.execute("{ boxes { a: slowN n b: slowN } }", context: Context())
        let items = (0..<5).map { GraphQLValue.object(["a": .int($0), "n": .int($0), "b": .int($0)]) }
        #expect(response.data == .object(["boxes": .list(items)]))
    }

    @Test func aResolverThatThrowsAPlainErrorIsAnInternalErrorAtItsPath() async {
        let response = await Self.engine.execute("{ x: box(n: 1) { n } broken y: box(n: 2) { slowN } }", context: Context())
        #expect(response.data == .object(["x": .object(["n": .int(1)]), "broken": .null, "y": .object(["slowN": .int(2)])]))
        #expect(response.errors.count == 1)
        #expect(response.errors.first?.code == "INTERNAL_SERVER_ERROR")
        #expect(response.errors.first?.path == [.key("broken")])
        #expect(response.errors.first?.message == "disk on fire")
    }

    @Test func manyConcurrentRequestsOverOneCachedDocumentKeepTheirVariables() async {
        let document = "query Q($n: Int!) { a: box(n: $n) { n slowN } b: box(n: 7) { n } }"
        await withTaskGroup(of: Bool.self) { group in
            for n in 0..<64 {
                group.addTask {
                    let response = await Self.engine.execute(document, variables: ["n": .int(n)], context: Context())
                    return response.data == .object([
                        "a": .object(["n": .int(n), "slowN": .int(n)]), "b": .object(["n": .int(7)]),
                    ])
                }
            }
            var right = 0
            for await ok in group where ok { right += 1 }
            #expect(right == 64)
        }
    }
}
