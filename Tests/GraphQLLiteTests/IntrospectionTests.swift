import GraphQLLite
import Testing

@Suite(.timeLimit(.minutes(1))) struct IntrospectionTests {
    /// graphql-js 16's `getIntrospectionQuery` with every option on (what GraphiQL sends, and more).
    static let introspectionQuery = """
    query IntrospectionQuery {
      __schema {
        description
        queryType { name }
        mutationType { name }
        subscriptionType { name }
        types { ...FullType }
        directives { name description isRepeatable locations args(includeDeprecated: true) { ...InputValue } }
      }
    }
    fragment FullType on __Type {
      kind name description specifiedByURL
      fields(includeDeprecated: true) {
        name description
        args(includeDeprecated: true) { ...InputValue }
        type { ...TypeRef }
        isDeprecated deprecationReason
      }
      inputFields(includeDeprecated: true) { ...InputValue }
      interfaces { ...TypeRef }
      enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
      possibleTypes { ...TypeRef }
    }
    fragment InputValue on __InputValue {
      name description type { ...TypeRef } defaultValue isDeprecated deprecationReason
    }
    fragment TypeRef on __Type {
      kind name
      ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
        ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }
    }
    """

    @Test func standardIntrospectionQueryRunsWithoutErrors() async throws {
        let engine = GraphQLEngine(schema: try makeTestSchema())
        let response = await engine.execute(Self.introspectionQuery, context: TestContext(user: "x"))
        #expect(response.errors.map(\.message) == [])
        let schema = response.data?["__schema"]
        #expect(schema?["queryType"] == ["name": "Query"])
        #expect(schema?["mutationType"] == ["name": "Mutation"])
        #expect(schema?["subscriptionType"] == .null)
        let types = schema?["types"]?.listValue ?? []
        let names = types.compactMap { $0["name"]?.stringValue }
        for expected in ["Query", "Mutation", "Dog", "Cat", "Named", "PetUnion", "Mood", "EchoInput", "JSON", "DateTime", "String", "Boolean", "__Schema", "__Type"] {
            #expect(names.contains(expected), "missing type \(expected)")
        }
        let directives = (schema?["directives"]?.listValue ?? []).compactMap { $0["name"]?.stringValue }
        #expect(directives == ["include", "skip", "deprecated", "specifiedBy"])
    }

    @Test func typeShapesFollowTheSpec() async throws {
        let response = try await run("""
        { dog: __type(name: "Dog") { kind name interfaces { name } fields { name type { kind name ofType { kind name } } } }
          named: __type(name: "Named") { kind possibleTypes { name } }
          union: __type(name: "PetUnion") { kind possibleTypes { name } fields { name } }
          mood: __type(name: "Mood") { kind enumValues { name } all: enumValues(includeDeprecated: true) { name isDeprecated deprecationReason } }
          input: __type(name: "EchoInput") { kind inputFields { name defaultValue type { kind name } } }
          query: __type(name: "Query") { fields { name } withOld: fields(includeDeprecated: true) { name isDeprecated } }
          missing: __type(name: "Nope") { name } }
        """)
        #expect(response.errors.isEmpty)
        let data = response.data
        #expect(data?["dog"] == [
            "kind": "OBJECT", "name": "Dog", "interfaces": [["name": "Named"]],
            "fields": [
                ["name": "name", "type": ["kind": "NON_NULL", "name": nil, "ofType": ["kind": "SCALAR", "name": "String"]]],
                ["name": "barks", "type": ["kind": "NON_NULL", "name": nil, "ofType": ["kind": "SCALAR", "name": "Boolean"]]],
            ],
        ])
        #expect(data?["named"] == ["kind": "INTERFACE", "possibleTypes": [["name": "Dog"], ["name": "Cat"]]])
        #expect(data?["union"] == ["kind": "UNION", "possibleTypes": [["name": "Dog"], ["name": "Cat"]], "fields": nil])
        #expect(data?["mood"] == [
            "kind": "ENUM", "enumValues": [["name": "HAPPY"]],
            "all": [
                ["name": "HAPPY", "isDeprecated": false, "deprecationReason": nil],
                ["name": "GRUMPY", "isDeprecated": true, "deprecationReason": "Be happy."],
            ],
        ])
        #expect(data?["input"]?["inputFields"] == [
            ["name": "text", "defaultValue": nil, "type": ["kind": "NON_NULL", "name": nil]],
            ["name": "times", "defaultValue": "1", "type": ["kind": "SCALAR", "name": "Int"]],
            ["name": "mood", "defaultValue": "HAPPY", "type": ["kind": "ENUM", "name": "Mood"]],
            ["name": "extra", "defaultValue": "{}", "type": ["kind": "SCALAR", "name": "JSON"]],
        ])
        let queryFields = data?["query"]?["fields"]?.listValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(!queryFields.contains("old"))
        #expect(data?["query"]?["withOld"]?.listValue?.contains(["name": "old", "isDeprecated": true]) == true)
        #expect(data?["missing"] == .null)
    }

    @Test func typenameWorksOnEveryObject() async throws {
        let response = try await run("{ __typename pets { __typename } __schema { __typename queryType { __typename } } }")
        #expect(response.jsonString() == #"{"data":{"__typename":"Query","pets":[{"__typename":"Dog"},{"__typename":"Cat"}],"__schema":{"__typename":"__Schema","queryType":{"__typename":"__Type"}}}}"#)
    }
}
