extension Executor {
    /// Executes a selection set whose whole subtree is synchronous.
    func executeSync(_ plan: SelectionPlan, source: Any, path: inout [GraphQLPathComponent]) throws(NullBubble) -> GraphQLValue {
        try budget.spend(plan.fields.count)
        var values: [GraphQLValue] = []
        values.reserveCapacity(plan.fields.count)
        for field in plan.fields {
            if case .typename = field.kind {
                values.append(.string(plan.typeName))
                continue
            }
            values.append(try executeFieldSync(field, source: source, path: &path))
        }
        return .object(GraphQLObject(keys: plan.keys, values: values))
    }

    /// Executes one field synchronously; `path` is the parent's path (the field's key is added
    /// only when needed: for errors and for completing nested values).
    func executeFieldSync(_ field: FieldPlan, source: Any, path: inout [GraphQLPathComponent]) throws(NullBubble) -> GraphQLValue {
        let type = field.type
        let raw: ResolvedValue
        do {
            if let error = field.argumentError { throw error }
            if case .sync(let resolve) = field.resolver, case .field = field.kind {
                raw = try resolve(source, field.argumentValues, context)
            } else {
                raw = try resolveSync(field, source, field.argumentValues)
            }
        } catch {
            path.append(.key(field.responseKey))
            record(error, field, path)
            path.removeLast()
            if type.isNonNull { throw NullBubble() }
            return .null
        }
        if let leaf = field.leaf {
            // Fast path: a built-in scalar the resolver returned unboxed.
            switch raw {
            case .string(let string) where leaf == .string || leaf == .id: return .string(string)
            case .int(let int) where leaf == .int && int >= Int(Int32.min) && int <= Int(Int32.max): return .int(int)
            case .bool(let bool) where leaf == .boolean: return .bool(bool)
            default: break
            }
        }
        path.append(.key(field.responseKey))
        defer { path.removeLast() }
        do {
            return try completeSync(type, field, raw, path: &path)
        } catch {
            if type.isNonNull { throw error }
            return .null
        }
    }

    /// Spec CompleteValue, for synchronous subtrees.
    func completeSync(_ type: TypeRef, _ field: FieldPlan, _ value: ResolvedValue, path: inout [GraphQLPathComponent]) throws(NullBubble) -> GraphQLValue {
        switch type {
        case .nonNull(let inner):
            let completed = try completeSync(inner, field, value, path: &path)
            if case .null = completed {
                record(GraphQLError("Cannot return null for non-nullable field \(field.field.coordinate)."), field, path)
                throw NullBubble()
            }
            return completed
        case .list(let itemType):
            if case .null = value { return .null }
            let items = try listItems(value.any, field, path)
            try budget.spend(items.count)
            var values: [GraphQLValue] = []
            values.reserveCapacity(items.count)
            var index = 0
            try items.forEachElement { (item) throws(NullBubble) in
                path.append(.index(index))
                defer {
                    path.removeLast()
                    index += 1
                }
                do throws(NullBubble) {
                    values.append(try completeSync(itemType, field, item, path: &path))
                } catch {
                    if itemType.isNonNull { throw error }
                    values.append(.null)
                }
            }
            return .list(values)
        case .named(let named):
            if case .null = value { return .null }
            switch named.kind {
            case .scalar, .enumeration:
                return try serializeLeaf(named, field, value, path)
            case .object:
                guard let plan = field.child(for: named) else { return .null }
                return try executeSync(plan, source: value.any, path: &path)
            default:
                let source = value.any
                let runtime = try runtimeType(named, field, source, path)
                guard let plan = field.child(for: runtime) else { return .null }
                return try executeSync(plan, source: source, path: &path)
            }
        }
    }
}
