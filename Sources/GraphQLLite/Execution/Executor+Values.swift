/// Lets the engine iterate an array hidden in an `Any` without knowing its element type.
package protocol ListValue {
    /// The number of elements.
    var count: Int { get }
    /// Calls `body` with each element (`Optional` elements unwrapped, `nil` as null), in order.
    func forEachElement<E: Error>(_ body: (ResolvedValue) throws(E) -> Void) throws(E)
}

extension ListValue {
    /// The elements as an array.
    var allElements: [ResolvedValue] {
        var elements: [ResolvedValue] = []
        elements.reserveCapacity(count)
        forEachElement { elements.append($0) }
        return elements
    }
}

extension Array: ListValue {
    package func forEachElement<E: Error>(_ body: (ResolvedValue) throws(E) -> Void) throws(E) {
        if Element.self is any OptionalMarker.Type || Element.self == GraphQLValue.self {
            for element in self { try body(ResolvedValue((element as? any OptionalMarker)?.unwrappedAny ?? element)) }
        } else {
            for element in self { try body(.value(element)) }
        }
    }
}

extension ContiguousArray: ListValue {
    package func forEachElement<E: Error>(_ body: (ResolvedValue) throws(E) -> Void) throws(E) {
        try Array(self).forEachElement(body)
    }
}

extension ArraySlice: ListValue {
    package func forEachElement<E: Error>(_ body: (ResolvedValue) throws(E) -> Void) throws(E) {
        try Array(self).forEachElement(body)
    }
}

/// A `GraphQLValue` list seen as a list value.
struct GraphQLListValue: ListValue {
    let values: [GraphQLValue]
    var count: Int { values.count }
    func forEachElement<E: Error>(_ body: (ResolvedValue) throws(E) -> Void) throws(E) {
        for value in values { try body(value.isNull ? .null : .value(value)) }
    }
}

extension Executor {
    /// The elements of a list value, or a field error.
    func listItems(_ value: Any, _ field: FieldPlan, _ path: [GraphQLPathComponent]) throws(NullBubble) -> any ListValue {
        if let list = value as? any ListValue { return list }
        if case .list(let values)? = value as? GraphQLValue { return GraphQLListValue(values: values) }
        record(GraphQLError("Expected Iterable, but did not find one for field \"\(field.field.coordinate)\"."), field, path)
        throw NullBubble()
    }

    /// Serialises a scalar or enum value, or records why it cannot.
    func serializeLeaf(_ type: NamedTypeModel, _ field: FieldPlan, _ resolved: ResolvedValue, _ path: [GraphQLPathComponent]) throws(NullBubble) -> GraphQLValue {
        if let builtin = type.builtin {
            // Fast paths for the common cases.
            switch (builtin, resolved) {
            case (.string, .string(let string)), (.id, .string(let string)): return .string(string)
            case (.int, .int(let int)) where int >= Int(Int32.min) && int <= Int(Int32.max): return .int(int)
            case (.boolean, .bool(let bool)): return .bool(bool)
            case (.float, .double(let double)) where double.isFinite: return .float(double)
            default: break
            }
        }
        if type.kind == .enumeration, case .string(let name) = resolved, type.enumValue(named: name) != nil { return .string(name) }
        let value = resolved.any
        if type.kind == .enumeration { return try serializeEnum(type, field, value, path) }
        guard let scalar = type.scalar else { return .null }
        if let convertible = value as? any GraphQLValueConvertible, type.builtin == nil || convertible is GraphQLValue {
            let converted = convertible.graphQLValue
            if converted.isNull { return .null }
            do {
                return try scalar.serialize(converted)
            } catch {
                record(error, field, path)
                throw NullBubble()
            }
        }
        do {
            return try scalar.serialize(value)
        } catch {
            record(error, field, path)
            throw NullBubble()
        }
    }

    private func serializeEnum(_ type: NamedTypeModel, _ field: FieldPlan, _ value: Any, _ path: [GraphQLPathComponent]) throws(NullBubble) -> GraphQLValue {
        if let hashable = value as? any Hashable {
            let key = AnyHashable(hashable)
            for enumValue in type.enumValues {
                if let mapped = enumValue.value, AnyHashable(mapped) == key { return .string(enumValue.name) }
            }
        }
        var name: String?
        if let string = value as? String { name = string }
        if case .string(let string)? = value as? GraphQLValue { name = string }
        if let name, let enumValue = type.enumValue(named: name), enumValue.value == nil || enumValue.value is String {
            return .string(name)
        }
        if let name, type.enumValue(named: name) != nil { return .string(name) }
        record(GraphQLError("Enum \"\(type.name)\" cannot represent value: \(value)"), field, path)
        throw NullBubble()
    }

    /// The object type of a value of an interface or union type.
    func runtimeType(_ type: NamedTypeModel, _ field: FieldPlan, _ value: Any, _ path: [GraphQLPathComponent]) throws(NullBubble) -> NamedTypeModel {
        var name: String?
        if let resolveType = type.resolveType { name = resolveType(value) }
        if name == nil {
            if let object = value as? GraphQLObject, case .string(let typename)? = object["__typename"] { name = typename }
            if case .object(let object)? = value as? GraphQLValue, case .string(let typename)? = object["__typename"] { name = typename }
        }
        if name == nil {
            for possible in type.possibleTypes where possible.isTypeOf?(value) == true {
                name = possible.name
                break
            }
        }
        guard let name else {
            record(GraphQLError(
                "Abstract type \"\(type.name)\" must resolve to an Object type at runtime for field \"\(field.field.coordinate)\". Either the \"\(type.name)\" type should provide a \"resolveType\" function or each possible type should provide an \"isTypeOf\" function."
            ), field, path)
            throw NullBubble()
        }
        guard let runtime = schema.type(named: name), runtime.kind == .object, schema.isPossibleType(runtime, of: type) else {
            record(GraphQLError("Runtime Object type \"\(name)\" is not a possible type for \"\(type.name)\"."), field, path)
            throw NullBubble()
        }
        return runtime
    }
}
