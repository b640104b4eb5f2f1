extension SchemaBuilder {
    /// Removes the built-in scalars `Int`, `Float` and `ID` when no field, argument or input field
    /// of the schema uses them, as graphql-js does (its type map holds only the types reachable
    /// from the roots; `String` and `Boolean` always are, through introspection and directives).
    /// So introspection lists the same types as graphql-js, and `query ($x: Float)` against a
    /// schema without floats is an unknown type there too.
    package mutating func removeUnusedBuiltinScalars() {
        var used: Set<String> = ["String", "Boolean"]
        for model in ordered where !model.isIntrospection {
            for field in model.fields {
                used.insert(field.type.named.name)
                for argument in field.arguments { used.insert(argument.type.named.name) }
            }
            for input in model.inputFields { used.insert(input.type.named.name) }
        }
        let unused = ["Int", "Float", "ID"].filter { name in
            !used.contains(name) && typesByName[name]?.scalar?.builtin != nil
        }
        guard !unused.isEmpty else { return }
        for name in unused { typesByName[name] = nil }
        ordered.removeAll { unused.contains($0.name) && $0.scalar?.builtin != nil }
    }
}
