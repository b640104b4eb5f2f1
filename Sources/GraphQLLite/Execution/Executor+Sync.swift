extension Executor {
    /// Executes a selection set whose whole subtree is synchronous.
    func executeSync(_ plan: SelectionPlan, source: Any, path: inout [GraphQLPathComponent]) throws(NullBubble) -> GraphQLValue {
        var values: [GraphQLValue] = []
        values.reserveCapacity(plan.fields.count)
        for field in plan.fields {
            if case .typename = field.kind {
                values.append(.string(plan.typeName))
                continue
            }
            path.append(.key(field.responseKey))
            defer { path.removeLast() }
            values.append(try executeFieldSync(field, source: source, path: &path))
        }
        return .object(GraphQLObject(keys: plan.keys, values: values))
    }

    func executeFieldSync(_ field: FieldPlan, source: Any, path: inout [GraphQLPathComponent]) throws(NullBubble) -> GraphQLValue {
        let type = field.field.type
        let raw: Any?
        do {
            raw = try resolveSync(field, source, field.arguments.get())
        } catch {
            record(error, field, path)
            if type.isNonNull { throw NullBubble() }
            return .null
        }
        do {
            return try completeSync(type, field, raw, path: &path)
        } catch {
            if type.isNonNull { throw error }
            return .null
        }
    }

    /// Spec CompleteValue, for synchronous subtrees.
    func completeSync(_ type: TypeRef, _ field: FieldPlan, _ value: Any?, path: inout [GraphQLPathComponent]) throws(NullBubble) -> GraphQLValue {
        switch type {
        case .nonNull(let inner):
            let completed = try completeSync(inner, field, value, path: &path)
            if case .null = completed {
                record(GraphQLError("Cannot return null for non-nullable field \(field.field.coordinate)."), field, path)
                throw NullBubble()
            }
            return completed
        case .list(let itemType):
            guard let value else { return .null }
            let items = try listItems(value, field, path)
            var values: [GraphQLValue] = []
            values.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                path.append(.index(index))
                defer { path.removeLast() }
                do {
                    values.append(try completeSync(itemType, field, item, path: &path))
                } catch {
                    if itemType.isNonNull { throw error }
                    values.append(.null)
                }
            }
            return .list(values)
        case .named(let named):
            guard let value else { return .null }
            switch named.kind {
            case .scalar, .enumeration:
                return try serializeLeaf(named, field, value, path)
            case .object:
                guard let plan = field.child(for: named) else { return .null }
                return try executeSync(plan, source: value, path: &path)
            default:
                let runtime = try runtimeType(named, field, value, path)
                guard let plan = field.child(for: runtime) else { return .null }
                return try executeSync(plan, source: value, path: &path)
            }
        }
    }
}
