/// Spec 5.2.1.1: each named operation is named once (located at the names, as graphql-js does).
struct UniqueOperationNamesRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        var seen: [String: SourcePosition] = [:]
        for operation in context.document.operations {
            guard let name = operation.name else { continue }
            if let first = seen[name] {
                context.report("There can be only one operation named \"\(name)\".", [first, operation.namePosition])
            } else {
                seen[name] = operation.namePosition
            }
        }
    }
}
