import GraphQLLite
import Testing

@Suite(.timeLimit(.minutes(1))) struct ExecutionTests {
    @Test func resolvesSyncAndAsyncFieldsInOrder() async throws {
        let response = try await run("{ slowHello hello greeting: hello __typename }")
        #expect(response.jsonString() == #"{"data":{"slowHello":"Slow hello, ada","hello":"Hello, ada","greeting":"Hello, ada","__typename":"Query"}}"#)
    }

    @Test func resolvesInterfacesAndUnionsWithFragments() async throws {
        let response = try await run("""
        { pets { __typename name ... on Dog { barks } ...CatFields }
          petUnions { ... on Dog { name } ... on Cat { lives } } }
        fragment CatFields on Cat { lives }
        """)
        #expect(response.jsonString() == #"{"data":{"pets":[{"__typename":"Dog","name":"Rex","barks":true},{"__typename":"Cat","name":"Tom","lives":9}],"petUnions":[{"name":"Rex"},{"lives":9}]}}"#)
    }

    @Test func resolverErrorNullsTheFieldWithCodeLocationAndPath() async throws {
        let response = try await run("{ hello\n  failing }")
        #expect(response.jsonString() == #"{"errors":[{"message":"Service down","locations":[{"line":2,"column":3}],"path":["failing"],"extensions":{"code":"SERVICE_UNAVAILABLE"}}],"data":{"hello":"Hello, ada","failing":null}}"#)
        #expect(response.failure == nil)
    }

    @Test func convertibleErrorsKeepTheirCode() async throws {
        let response = try await run(#"{ pet(name: "Nemo") { name } }"#)
        #expect(response.data == ["pet": nil])
        #expect(response.errors.first?.code == "NOT_FOUND")
        #expect(response.errors.first?.path == [.key("pet")])
    }

    @Test func nonNullErrorPropagatesToTheParent() async throws {
        let response = try await run("{ hello failingNonNull }")
        #expect(response.data == .null)
        #expect(response.errors.map(\.message) == ["Boom"])
    }

    @Test func nullForNonNullFieldIsAnError() async throws {
        let response = try await run("{ nullNonNull }")
        #expect(response.data == .null)
        #expect(response.errors.first?.message == "Cannot return null for non-nullable field Query.nullNonNull.")
        #expect(response.errors.first?.path == [.key("nullNonNull")])
    }

    @Test func nullItemInNonNullListNullsTheList() async throws {
        let response = try await run("{ list nullableItems }")
        #expect(response.data == ["list": nil, "nullableItems": [1, nil, 3]])
        #expect(response.errors.first?.path == [.key("list"), .index(1)])
    }

    @Test func errorPathsAreRightBesideAsyncFields() async throws {
        let response = try await run("{ slowHello failing list failingNonNullWrapper: slowHello }")
        #expect(response.errors.map(\.path) == [[.key("failing")], [.key("list"), .index(1)]])
        let asyncError = try await run("{ hello failingNonNull slowHello }")
        #expect(asyncError.errors.map(\.path) == [[.key("failingNonNull")]])
        #expect(asyncError.data == .null)
    }

    @Test func intOutsideThirtyTwoBitsIsAFieldError() async throws {
        let response = try await run("{ bigInt }")
        #expect(response.data == ["bigInt": nil])
        #expect(response.errors.first?.message == "Int cannot represent non 32-bit signed integer value: 1099511627776")
    }

    @Test func inputObjectDefaultsAndEnumsAreCoerced() async throws {
        let response = try await run(#"{ echo(input: {text: "hi", extra: {a: [1, 2.5, ENUMISH, null]}}) mood happy: mood(mood: HAPPY) }"#)
        #expect(response.jsonString() == #"{"data":{"echo":{"text":"hi","times":1,"mood":"HAPPY","extra":{"a":[1,2.5,"ENUMISH",null]}},"mood":"GRUMPY","happy":"HAPPY"}}"#)
    }

    @Test func variablesAreCoercedWithDefaults() async throws {
        let response = try await run(
            "query Q($input: EchoInput!, $n: [Int!]! = [1, 2]) { echo(input: $input) sum(values: $n) single: sum(values: 5) }",
            variables: ["input": ["text": "x", "times": 3]]
        )
        #expect(response.jsonString() == #"{"data":{"echo":{"text":"x","times":3,"mood":"HAPPY","extra":{}},"sum":3,"single":5}}"#)
    }

    @Test func badVariablesAreARequestError() async throws {
        let response = try await run("query Q($input: EchoInput!) { echo(input: $input) }", variables: ["input": ["text": "t", "times": "x"]])
        #expect(response.data == nil)
        #expect(response.failure == .request)
        #expect(response.errors.first?.message == #"Variable "$input" got invalid value "x" at "input.times"; Int cannot represent non-integer value: "x""#)
        #expect(response.errors.first?.code == "BAD_USER_INPUT")
    }

    @Test func missingRequiredVariable() async throws {
        let response = try await run("query Q($v: String!) { pet(name: $v) { name } }")
        #expect(response.errors.first?.message == #"Variable "$v" of required type "String!" was not provided."#)
    }

    @Test func skipAndInclude() async throws {
        let response = try await run(
            "query ($yes: Boolean!) { a: hello @skip(if: $yes) b: hello @include(if: $yes) c: hello @include(if: false) }",
            variables: ["yes": true]
        )
        #expect(response.data == ["b": "Hello, ada"])
    }

    @Test func mutationsRunSerially() async throws {
        let response = try await run(#"mutation { first: append(value: "1") second: append(value: "2") }"#)
        #expect(response.jsonString() == #"{"data":{"first":"ada:1","second":"ada:2"}}"#)
    }

    @Test func mutationOverGetIsNotAllowed() async throws {
        let engine = GraphQLEngine(schema: try makeTestSchema())
        let response = await engine.execute(#"mutation { append(value: "1") }"#, context: TestContext(user: "x"), allowedOperations: [.query])
        #expect(response.failure == .operationNotAllowed)
        #expect(response.data == nil)
    }

    @Test func subscriptionsAreRefused() async throws {
        let response = try await run("subscription { hello }")
        #expect(response.failure != nil)
        #expect(response.data == nil)
    }

    @Test func operationNameSelectsTheOperation() async throws {
        let response = try await run("query A { hello } query B { mood }", operationName: "B")
        #expect(response.data == ["mood": "GRUMPY"])
        let missing = try await run("query A { hello } query B { mood }")
        #expect(missing.errors.first?.message == "Must provide operation name if query contains multiple operations.")
        #expect(missing.failure == .request)
    }

    @Test func parseErrorsCarryTheirCodeAndKind() async throws {
        let response = try await run("{ hello ")
        #expect(response.failure == .parse)
        #expect(response.jsonString() == #"{"errors":[{"message":"Syntax Error: Expected Name, found <EOF>.","locations":[{"line":1,"column":9}],"extensions":{"code":"GRAPHQL_PARSE_FAILED"}}]}"#)
    }

    @Test func dateTimeScalarNormalisesInput() async throws {
        let response = try await run(#"{ when(at: "2026-11-29T03:00:00+01:00") }"#)
        #expect(response.data == ["when": "2026-11-29T02:00:00.000Z"])
    }

    @Test func requestDecodesFromJSON() throws {
        let request = try GraphQLRequest(json: Array(#"{"query":"{ hello }","variables":{"a":[1,2.5,"x",true,null]},"operationName":null}"#.utf8))
        #expect(request.query == "{ hello }")
        #expect(request.variables["a"] == [1, 2.5, "x", true, nil])
        #expect(throws: GraphQLError.self) { try GraphQLRequest(json: Array(#"{"variables":{}}"#.utf8)) }
    }

    @Test func documentCacheIsUsedAndBounded() async throws {
        let cache = GraphQLDocumentCache(capacity: 2)
        let engine = GraphQLEngine(schema: try makeTestSchema(), cache: cache)
        for query in ["{ hello }", "{ mood }", "{ hello mood }", "{ hello }"] {
            _ = await engine.execute(query, context: TestContext(user: "x"))
        }
        #expect(cache.count <= 2)
        #expect(cache.document(for: "{ hello }") != nil)
    }
}

/// Two resolvers that each wait until both have started: they only finish if run concurrently.
actor Rendezvous {
    private var arrived = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func arrive(expecting count: Int) async {
        arrived += 1
        if arrived >= count {
            for continuation in waiting { continuation.resume() }
            waiting.removeAll()
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }
}

@Suite(.timeLimit(.minutes(1))) struct ConcurrencyTests {
    @Test func independentAsyncQueryFieldsRunConcurrently() async throws {
        let rendezvous = Rendezvous()
        let query = GraphQLObjectType("Query", fields: [
            GraphQLField("a", .nonNull(.string)) { (_, _: Void) async throws in
                await rendezvous.arrive(expecting: 2)
                return "a"
            },
            GraphQLField("b", .nonNull(.string)) { (_, _: Void) async throws in
                await rendezvous.arrive(expecting: 2)
                return "b"
            },
            GraphQLField("c", .nonNull(.string)) { (_, _: Void) in "c" },
        ])
        let engine = GraphQLEngine(schema: try GraphQLSchema(query: query))
        let response = await engine.execute("{ a c b }")
        #expect(response.jsonString() == #"{"data":{"a":"a","c":"c","b":"b"}}"#)
    }
}

@Suite(.timeLimit(.minutes(1))) struct JSONScalarTests {
    struct Payload: Encodable, Sendable {
        let to: String
        let n: [Int]
    }

    @Test func jsonScalarSerialisesEncodableValues() async throws {
        let query = GraphQLObjectType("Query", fields: [
            GraphQLField("payload", .nonNull("JSON")) { (_, _: Void) in Payload(to: "a@b.c", n: [1, 2]) },
        ])
        let engine = GraphQLEngine(schema: try GraphQLSchema(query: query, types: [GraphQLScalarType.json]))
        let response = await engine.execute("{ payload }")
        #expect(response.data?["payload"]?["to"] == "a@b.c")
        #expect(response.data?["payload"]?["n"] == [1, 2])
    }
}
