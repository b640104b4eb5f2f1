/// Spec 5.8.1: variable names are unique within an operation (located at the names, after `$`, as graphql-js does).
struct UniqueVariableNamesRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        for operation in context.document.operations {
            var seen: [String: SourcePosition] = [:]
            for variable in operation.variables {
                if let first = seen[variable.name] {
                    context.report("There can be only one variable named \"$\(variable.name)\".", [first, variable.namePosition])
                } else {
                    seen[variable.name] = variable.namePosition
                }
            }
        }
    }
}
