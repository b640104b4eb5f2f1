/// Spec 5.6.3: an input object literal names each field once.
struct UniqueInputFieldNamesRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        var stack: [ValueNode] = context.fields.flatMap { $0.node.arguments.map(\.value) }
        for fact in context.directiveLists { stack += fact.directives.flatMap { $0.arguments.map(\.value) } }
        for operation in context.document.operations { stack += operation.variables.compactMap(\.defaultValue) }
        while let value = stack.popLast() {
            switch value.kind {
            case .list(let items): stack += items
            case .object(let fields):
                var seen: [String: SourcePosition] = [:]
                for field in fields {
                    if let first = seen[field.name] {
                        context.report("There can be only one input field named \"\(field.name)\".", [first, field.position])
                    } else {
                        seen[field.name] = field.position
                    }
                    stack.append(field.value)
                }
            default: break
            }
        }
    }
}
