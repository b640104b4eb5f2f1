/// Spec 5.2.2.1: an anonymous operation must be the only operation.
struct LoneAnonymousOperationRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        let operations = context.document.operations
        guard operations.count > 1 else { return }
        for operation in operations where operation.name == nil {
            context.report("This anonymous operation must be the only defined operation.", [operation.position])
        }
    }
}
