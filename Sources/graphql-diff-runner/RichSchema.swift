import GraphQLLite

/// The differential test's second schema: interfaces (one implementing another), a union, lists of
/// lists, non-null chains (with resolvers that return null for non-null types), input objects
/// with defaults, enums, arguments with defaults, and `async` resolvers mixed with synchronous ones.
///
/// The data is one JSON document (``RichSchema/dataJSON``); the runner exports it (`data`) so the
/// Python side resolves the same schema (printed with `sdl`) over the same values. Every resolver
/// here has a twin in `scripts/graphql-differential/rich_resolvers.py`; keep them in step.
enum RichSchema {
    /// The fixed data: people, dogs, cats and robots, each with its `__typename`.
    static let dataJSON = """
    {"people": [
      {"__typename": "Person", "id": "p1", "name": "Alice", "age": 34, "nickname": "Al", "petIds": ["d1", "c1"],
       "friendIds": ["p2", "p3"], "bestFriendId": "p2", "grid": [[1, 2], [3]], "tags": ["a", "b"]},
      {"__typename": "Person", "id": "p2", "name": "Bob", "age": null, "nickname": null, "petIds": ["d2"],
       "friendIds": ["p1"], "bestFriendId": null, "grid": [[1, null], [2]], "tags": null},
      {"__typename": "Person", "id": "p3", "name": "Carol", "age": 27, "nickname": "Caz", "petIds": [],
       "friendIds": ["p1", "p4"], "bestFriendId": "p4", "grid": null, "tags": []},
      {"__typename": "Person", "id": "p4", "name": "Dave", "age": 51, "nickname": "D", "petIds": ["c2"],
       "friendIds": [], "bestFriendId": "p9", "grid": [[]], "tags": ["x"]}
    ],
    "dogs": [
      {"__typename": "Dog", "id": "d1", "name": "Rex", "barkVolume": 7, "isGoodBoy": true, "breed": "LAB",
       "ownerId": "p1", "playmateIds": ["c1", "d2"]},
      {"__typename": "Dog", "id": "d2", "name": "Fido", "barkVolume": null, "isGoodBoy": false, "breed": "MUTT",
       "ownerId": "p2", "playmateIds": ["d1", "x9"]}
    ],
    "cats": [
      {"__typename": "Cat", "id": "c1", "name": "Tom", "lives": 9, "ownerId": "p1", "playmateIds": ["d1"]},
      {"__typename": "Cat", "id": "c2", "name": "Kitty", "lives": 3, "ownerId": null, "playmateIds": []}
    ],
    "robots": [
      {"__typename": "Robot", "id": "r1", "model": "RX-78", "serial": 1.5},
      {"__typename": "Robot", "id": "r2", "model": "T-800", "serial": null}
    ],
    "matrix": [[1, null, 3], null, [], [4]],
    "strictMatrix": [[1, 2], [3, null]]
    }
    """

    /// The data, parsed once.
    static let data: GraphQLObject = {
        do {
            guard case .object(let object) = try GraphQLValue(json: dataJSON) else { fatalError("RichSchema data is not an object") }
            return object
        } catch {
            fatalError("RichSchema data is not JSON: \(error)")
        }
    }()

    /// Every entity in a fixed order: people, dogs, cats, robots.
    static let entities: [GraphQLValue] = ["people", "dogs", "cats", "robots"].flatMap { data[$0]?.listValue ?? [] }

    /// Entities by id.
    static let byID: [String: GraphQLValue] = {
        var index: [String: GraphQLValue] = [:]
        for entity in entities { if let id = entity.objectValue?["id"]?.stringValue { index[id] = entity } }
        return index
    }()

    /// The entity with `id`, or null.
    static func lookup(_ id: GraphQLValue?) -> GraphQLValue {
        guard let id = id?.stringValue else { return .null }
        return byID[id] ?? .null
    }

    /// Member `key` of an object value (null when absent).
    static func member(_ value: GraphQLValue, _ key: String) -> GraphQLValue {
        value.objectValue?[key] ?? .null
    }

    /// `value` with object members sorted by key, recursively (so both engines print the same text).
    static func sorted(_ value: GraphQLValue) -> GraphQLValue {
        switch value {
        case .list(let items): return .list(items.map(sorted))
        case .object(let object):
            var result = GraphQLObject()
            for (key, member) in object.sorted(by: { $0.key < $1.key }) { result[key] = sorted(member) }
            return .object(result)
        default: return value
        }
    }

    /// The arguments of an `echo` field as one sorted object.
    static func echo(_ arguments: GraphQLArguments) -> GraphQLValue {
        sorted(.object(arguments.values))
    }

    /// The schema.
    static let schema: GraphQLSchema = {
        do {
            return try GraphQLSchema(query: queryType, mutation: mutationType, types: [
                GraphQLScalarType.json, nodeInterface, namedInterface, petInterface, personType, dogType, catType,
                robotType, searchResultUnion, chainType, chainAType, chainBType, styleEnum, breedEnum, kindEnum,
                echoInput, rangeInput, filterInput,
            ])
        } catch {
            fatalError("RichSchema is invalid: \(error)")
        }
    }()
}
