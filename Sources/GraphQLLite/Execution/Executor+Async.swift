extension Executor {
    /// Executes a selection set that may suspend. Synchronous fields run inline; fields that may
    /// suspend run concurrently (queries) or one after another (`serial`, the mutation root).
    func executeAsync(
        _ plan: SelectionPlan, source: Any, path: inout [GraphQLPathComponent], serial: Bool = false
    ) async throws(NullBubble) -> GraphQLValue {
        if plan.isSync { return try executeSync(plan, source: source, path: &path) }
        var values = [GraphQLValue](repeating: .null, count: plan.fields.count)
        var pending: [Int] = []
        var bubbled = false
        for (index, field) in plan.fields.enumerated() {
            if case .typename = field.kind {
                values[index] = .string(plan.typeName)
                continue
            }
            if serial || !field.isSync {
                if serial {
                    path.append(.key(field.responseKey))
                    defer { path.removeLast() }
                    do { values[index] = try await executeFieldAsync(field, source: source, path: &path) } catch { bubbled = true }
                } else {
                    pending.append(index)
                }
                continue
            }
            do { values[index] = try executeFieldSync(field, source: source, path: &path) } catch { bubbled = true }
        }
        if pending.count == 1 {
            let field = plan.fields[pending[0]]
            path.append(.key(field.responseKey))
            defer { path.removeLast() }
            do { values[pending[0]] = try await executeFieldAsync(field, source: source, path: &path) } catch { bubbled = true }
        } else if pending.count > 1 {
            let box = SourceBox(value: source)
            let basePath = path
            await withTaskGroup(of: (Int, GraphQLValue?).self) { group in
                for index in pending {
                    let field = plan.fields[index]
                    group.addTask {
                        var childPath = basePath
                        childPath.append(.key(field.responseKey))
                        // Bind the value before building the tuple. Swift 6.3.1 at -O miscompiles
                        // `do { return (index, try await f()) } catch { return (index, nil) }` in a
                        // task-group child: every child returns the last one's value in slot 0
                        // (Docs/COMPILER_FAULTS.md, scripts/test-compiler-fault.sh).
                        let value: GraphQLValue?
                        do { value = try await self.executeFieldAsync(field, source: box.value, path: &childPath) } catch { value = nil }
                        return (index, value)
                    }
                }
                for await (index, value) in group {
                    // Indices come from `pending`; checked anyway so that a fault here is a null, never a trap.
                    guard let value, values.indices.contains(index) else { bubbled = true; continue }
                    values[index] = value
                }
            }
        }
        if bubbled { throw NullBubble() }
        return .object(GraphQLObject(keys: plan.keys, values: values))
    }

    func executeFieldAsync(_ field: FieldPlan, source: Any, path: inout [GraphQLPathComponent]) async throws(NullBubble) -> GraphQLValue {
        if field.isSync {
            // `path` ends with this field's key here; the synchronous executor adds it itself.
            path.removeLast()
            defer { path.append(.key(field.responseKey)) }
            return try executeFieldSync(field, source: source, path: &path)
        }
        let type = field.field.type
        let raw: ResolvedValue
        do {
            if let error = field.argumentError { throw error }
            let arguments = field.argumentValues
            if case .async(let resolve) = field.field.resolver {
                raw = try await resolve(source, arguments, context)
            } else {
                raw = try resolveSync(field, source, arguments)
            }
        } catch {
            record(error, field, path)
            if type.isNonNull { throw NullBubble() }
            return .null
        }
        do {
            return try await completeAsync(type, field, raw, path: &path)
        } catch {
            if type.isNonNull { throw error }
            return .null
        }
    }

    func completeAsync(_ type: TypeRef, _ field: FieldPlan, _ value: ResolvedValue, path: inout [GraphQLPathComponent]) async throws(NullBubble) -> GraphQLValue {
        switch type {
        case .nonNull(let inner):
            let completed = try await completeAsync(inner, field, value, path: &path)
            if case .null = completed {
                record(GraphQLError("Cannot return null for non-nullable field \(field.field.coordinate)."), field, path)
                throw NullBubble()
            }
            return completed
        case .list(let itemType):
            if case .null = value { return .null }
            let items = try listItems(value.any, field, path).allElements
            var values: [GraphQLValue] = []
            values.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                path.append(.index(index))
                defer { path.removeLast() }
                do {
                    values.append(try await completeAsync(itemType, field, item, path: &path))
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
                return try await executeAsync(plan, source: value.any, path: &path)
            default:
                let source = value.any
                let runtime = try runtimeType(named, field, source, path)
                guard let plan = field.child(for: runtime) else { return .null }
                return try await executeAsync(plan, source: source, path: &path)
            }
        }
    }
}
