import GraphQLLite

extension RichSchema {
    /// `Query.person(id:)`: a person, or an error naming the id.
    static func person(_ id: String) throws -> GraphQLValue {
        let entity = lookup(.string(id))
        guard member(entity, "__typename") == "Person" else { throw GraphQLError("Person \(id) not found", code: "NOT_FOUND") }
        return entity
    }

    /// `Query.search(text:filter:)`: entities whose name (or model) contains `text`, filtered by
    /// kind and minimum age, at most `filter.limit` of them.
    static func search(_ arguments: GraphQLArguments) throws -> GraphQLValue {
        let text = arguments.string("text") ?? ""
        let filter = arguments.object("filter")
        let kinds = filter?["kinds"]?.listValue?.compactMap(\.stringValue)
        let minAge = filter?["minAge"]?.intValue ?? 0
        let limit = filter?["limit"]?.intValue ?? 10
        guard limit >= 0 else { throw GraphQLError("limit must be 0 or more, got \(limit)", code: "BAD_REQUEST") }
        var found: [GraphQLValue] = []
        for entity in entities {
            let label = (member(entity, "name").stringValue ?? member(entity, "model").stringValue) ?? ""
            guard text.isEmpty || label.contains(text) else { continue }
            let typename = member(entity, "__typename").stringValue ?? ""
            if let kinds, !kinds.contains(typename.uppercased()) { continue }
            if typename == "Person", let age = member(entity, "age").intValue, age < minAge { continue }
            found.append(entity)
        }
        return .list(Array(found.prefix(limit)))
    }

    static let queryType = GraphQLObjectType("Query", fields: [
        GraphQLField("version", .nonNull(.string)) { (_: GraphQLArguments, _: Void) in "1.0" },
        GraphQLField("node", "Node", arguments: [GraphQLArgument("id", .nonNull(.id))]) { (arguments: GraphQLArguments, _: Void) in
            lookup(arguments["id"])
        },
        GraphQLField("nodes", .nonNull(.list("Node")), arguments: [GraphQLArgument("ids", .nonNull(.list(.nonNull(.id))))]) {
            (arguments: GraphQLArguments, _: Void) async in
            await Task.yield()
            return GraphQLValue.list((arguments.list("ids") ?? []).map { lookup($0) })
        },
        GraphQLField("person", "Person", arguments: [GraphQLArgument("id", .nonNull(.id))]) {
            (arguments: GraphQLArguments, _: Void) async throws in
            await Task.yield()
            return try person(arguments.string("id") ?? "")
        },
        GraphQLField("people", .nonNull(.list("Person"))) { (_: GraphQLArguments, _: Void) async in
            await Task.yield()
            return data["people"] ?? .null
        },
        GraphQLField("pets", .nonNull(.list(.nonNull("Pet")))) { (_: GraphQLArguments, _: Void) in
            GraphQLValue.list((data["dogs"]?.listValue ?? []) + (data["cats"]?.listValue ?? []))
        },
        GraphQLField(
            "search", .nonNull(.list(.nonNull("SearchResult"))),
            arguments: [GraphQLArgument("text", .string, defaultValue: ""), GraphQLArgument("filter", "Filter")]
        ) { (arguments: GraphQLArguments, _: Void) async throws in
            await Task.yield()
            return try search(arguments)
        },
        GraphQLField("matrix", .list(.list(.int))) { (_: GraphQLArguments, _: Void) in data["matrix"] ?? .null },
        GraphQLField("strictMatrix", .list(.nonNull(.list(.nonNull(.int))))) { (_: GraphQLArguments, _: Void) in
            data["strictMatrix"] ?? .null
        },
        GraphQLField("echo", .nonNull("JSON"), arguments: echoArguments) { (arguments: GraphQLArguments, _: Void) in echo(arguments) },
        GraphQLField("echoAsync", .nonNull("JSON"), arguments: echoArguments) { (arguments: GraphQLArguments, _: Void) async in
            await Task.yield()
            return echo(arguments)
        },
        GraphQLField("fail", .string) { (_: GraphQLArguments, _: Void) throws -> GraphQLValue in
            throw GraphQLError("fail", code: "INTERNAL_SERVER_ERROR")
        },
        GraphQLField("failAsync", .string) { (_: GraphQLArguments, _: Void) async throws -> GraphQLValue in
            await Task.yield()
            throw GraphQLError("failAsync", code: "INTERNAL_SERVER_ERROR")
        },
        GraphQLField("chain", "Chain") { (_: GraphQLArguments, _: Void) in GraphQLValue.object([:]) },
        GraphQLField("count", .nonNull(.int), arguments: [GraphQLArgument("kind", "Kind", defaultValue: "PERSON")]) {
            (arguments: GraphQLArguments, _: Void) in
            let kind = arguments.string("kind") ?? "PERSON"
            return entities.filter { member($0, "__typename").stringValue?.uppercased() == kind }.count
        },
    ])

    static let mutationType = GraphQLObjectType("Mutation", fields: [
        GraphQLField("echo", .nonNull("JSON"), arguments: echoArguments) { (arguments: GraphQLArguments, _: Void) async in
            await Task.yield()
            return echo(arguments)
        },
        GraphQLField("rename", "Person", arguments: [GraphQLArgument("id", .nonNull(.id)), GraphQLArgument("name", .nonNull(.string))]) {
            (arguments: GraphQLArguments, _: Void) async throws in
            guard case .object(var object) = try person(arguments.string("id") ?? "") else { return GraphQLValue.null }
            object["name"] = arguments["name"] ?? .null
            return GraphQLValue.object(object)
        },
    ])
}
