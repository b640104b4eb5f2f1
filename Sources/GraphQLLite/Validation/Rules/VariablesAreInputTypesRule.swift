/// Spec 5.8.2: variables are of input types.
struct VariablesAreInputTypesRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        for operation in context.document.operations {
            for variable in operation.variables {
                guard let type = context.schema.type(named: variable.type.namedType), !type.isInputType else { continue }
                context.report(
                    "Variable \"$\(variable.name)\" cannot be non-input type \"\(variable.type)\".",
                    [variable.type.position]
                )
            }
        }
    }
}
