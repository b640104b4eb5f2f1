import GraphQLLite
import Testing

/// The budgets of issue 12: document cache bytes (D1) and response values (D2).
@Suite struct BudgetTests {
    @Test func documentCacheKeepsItsByteBudget() async throws {
        let cache = GraphQLDocumentCache(capacity: 1000, maxBytes: 40_000, maxDocumentBytes: 5_000)
        let engine = GraphQLEngine(schema: try makeTestSchema(), cache: cache)
        for index in 0..<200 {
            // Distinct ~1 KB documents (the alias makes each text unique).
            let query = "{ a\(index): hello " + String(repeating: "hello ", count: 150) + "}"
            _ = await engine.execute(query, context: TestContext(user: "x"))
            #expect(cache.bytes <= cache.maxBytes)
        }
        #expect(cache.count > 0 && cache.count < 200)
        // A document over maxDocumentBytes is answered but never kept.
        let large = "{ " + String(repeating: "hello ", count: 1000) + "}"
        let response = await engine.execute(large, context: TestContext(user: "x"))
        #expect(response.errors.isEmpty)
        #expect(cache.document(for: large) == nil)
        cache.removeAll()
        #expect(cache.count == 0 && cache.bytes == 0)
    }

    @Test func responseBudgetStopsLargeAnswers() async throws {
        let limits = GraphQLLimits(maxResponseValues: 50)
        let engine = GraphQLEngine(schema: try makeTestSchema(), limits: limits, cache: nil)
        let aliases = (0..<60).map { "a\($0): hello" }.joined(separator: " ")
        let response = await engine.execute("{ \(aliases) }", context: TestContext(user: "x"))
        #expect(response.data == nil)
        #expect(response.errors.map(\.code) == ["RESPONSE_TOO_LARGE"])
        #expect(response.errors.first?.message.contains("50") == true)
        // Lists count their elements; async resolvers are counted too.
        let lists = (0..<20).map { "l\($0): list s\($0): slowHello" }.joined(separator: " ")
        let listResponse = await engine.execute("{ \(lists) }", context: TestContext(user: "x"))
        #expect(listResponse.errors.map(\.code) == ["RESPONSE_TOO_LARGE"])
        // Within the budget nothing changes.
        let small = await engine.execute("{ hello list pets { name } }", context: TestContext(user: "x"))
        #expect(small.errors.count == 1)  // `list` holds a null in a non-null position: its own, unrelated error
        #expect(small.data != nil)
    }

    @Test func introspectionIsCountedToo() async throws {
        let engine = GraphQLEngine(schema: try makeTestSchema(), limits: GraphQLLimits(maxResponseValues: 200), cache: nil)
        let aliases = (0..<20).map { "s\($0): __schema { types { name fields { name } } }" }.joined(separator: " ")
        let response = await engine.execute("{ \(aliases) }", context: TestContext(user: "x"))
        #expect(response.errors.map(\.code) == ["RESPONSE_TOO_LARGE"])
    }
}
