@testable import GraphQLLite
import Testing

// Resolver sources reach typed resolvers through `cast`, which has a fast path for an exact class
// (`exactClassInstance`) and falls back to a dynamic cast for everything else.

private class Animal: @unchecked Sendable {
    let name: String
    init(name: String) { self.name = name }
}
private final class Dog: Animal, @unchecked Sendable {}
private final class Car: Sendable { let model = "T" }
private struct Point: Sendable { let x: Int }
private protocol Named: AnyObject, Sendable { var name: String { get } }
private final class Cat: Named { let name = "Tom" }

@Suite struct SourceCastTests {
    @Test func exactClassIsReadWithoutADynamicCast() {
        let dog: Any = Dog(name: "Rex")
        #expect(exactClassInstance(dog, as: Dog.self)?.name == "Rex")
    }

    @Test func otherShapesFallBackToTheDynamicCast() throws {
        let dog: Any = Dog(name: "Rex")
        #expect(exactClassInstance(dog, as: Animal.self) == nil)       // a subclass instance
        #expect(try (cast(dog, "f", "source") as Animal).name == "Rex")  // …still casts
        #expect(exactClassInstance(Point(x: 1) as Any, as: Point.self) == nil)
        #expect(try (cast(Point(x: 1) as Any, "f", "source") as Point).x == 1)
        #expect(exactClassInstance(Cat() as Any, as: (any Named).self) == nil)
        #expect(try (cast(Cat() as Any, "f", "source") as any Named).name == "Tom")
        #expect(exactClassInstance(Car() as Any, as: Dog.self) == nil)   // another class
        #expect(exactClassInstance(Optional<Dog>.none as Any, as: Dog.self) == nil)
        #expect(exactClassInstance("text" as Any, as: Dog.self) == nil)
    }

    @Test func wrongSourceClassIsAFieldError() async throws {
        let dog = GraphQLObjectType("Dog", fields: [
            GraphQLField("name", .nonNull(.string)) { (dog: Dog, _, _: Void) in dog.name },
        ])
        let animal = GraphQLObjectType("Animal", fields: [
            GraphQLField("name", .nonNull(.string)) { (animal: Animal, _, _: Void) in animal.name },
        ])
        let query = GraphQLObjectType("Query", fields: [
            GraphQLField("dog", "Dog") { (_, _: Void) in Dog(name: "Rex") },
            GraphQLField("animal", "Animal") { (_, _: Void) in Dog(name: "Fido") },  // a subclass
            GraphQLField("car", "Dog") { (_, _: Void) in Car() },                    // the wrong class
        ])
        let engine = GraphQLEngine(schema: try GraphQLSchema(query: query, types: [dog, animal]))
        let response = await engine.execute("{ dog { name } animal { name } car { name } }")
        #expect(response.data == ["dog": ["name": "Rex"], "animal": ["name": "Fido"], "car": .null])
        #expect(response.errors.count == 1)
        #expect(response.errors.first?.message.contains("expected a source of type") == true)
        #expect(response.errors.first?.path == [.key("car"), .key("name")])
    }
}
