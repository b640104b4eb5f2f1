/// Spec 5.6.3: an input object literal names each field once.
struct UniqueInputFieldNamesRule: ValidationRule {
    static func check(_ context: ValidationContext) {
        var stack: [ValueNode] = []
        for fact in context.values {
            switch fact.value.kind {
            case .list, .object: stack.append(fact.value)
            default: break
            }
        }
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
