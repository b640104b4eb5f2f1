import GraphQLLite
import Testing

// The planner coerces arguments only for fields that declare some; a coercion failure becomes
// that field's error (execution of an unvalidated document), while its siblings still resolve.
@Suite(.timeLimit(.minutes(1))) struct PlannedArgumentsTests {
    @Test func aMissingRequiredArgumentFailsOnlyItsField() async throws {
        let engine = GraphQLEngine(schema: try makeTestSchema())
        let document = try engine.parse("{ hello\n  pet { name } }")
        let response = await engine.execute(document: document, context: TestContext(user: "ada"))
        #expect(response.jsonString() == #"{"errors":[{"message":"Argument \"name\" of required type \"String!\" was not provided.","locations":[{"line":2,"column":3}],"path":["pet"],"extensions":{"code":"BAD_USER_INPUT"}}],"data":{"hello":"Hello, ada","pet":null}}"#)
    }

    @Test func defaultsApplyAndFieldsWithoutArgumentsGetNone() async throws {
        let response = try await run(#"{ mood hello grumpy: mood(mood: HAPPY) }"#)
        #expect(response.jsonString() == #"{"data":{"mood":"GRUMPY","hello":"Hello, ada","grumpy":"HAPPY"}}"#)
    }
}
