@testable import GraphQLLite
import Testing

// `TypeRef` boxes only its wrappers; the named case holds the model directly. Both must behave alike.
@Suite struct TypeRefTests {
    @Test func wrappersUnwrapToTheSameNamedModel() throws {
        let schema = try makeTestSchema()
        let dog = try #require(schema.type(named: "Dog"))
        let named = TypeRef.named(dog)
        let wrapped = TypeRef.nonNull(.list(.nonNull(named)))
        #expect(named.named === dog)
        #expect(wrapped.named === dog)
        #expect(wrapped.isNonNull)
        #expect(!named.isNonNull)
        #expect(wrapped.nullable.description == "[Dog!]")
        #expect(wrapped.description == "[Dog!]!")
        #expect(named.nullable.named === dog)
        #expect(wrapped.isEqual(to: .nonNull(.list(.nonNull(.named(dog))))))
        #expect(!wrapped.isEqual(to: .list(.nonNull(.named(dog)))))
    }
}
