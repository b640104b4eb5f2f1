/// A field of an object or interface type, with its resolver.
///
/// Resolvers are typed: the source (parent object) and the context are cast for you, and a resolver
/// may be synchronous (run inline, no suspension) or `async`. Return any `Sendable` value: a Swift
/// value that the field's type knows how to serialise (`String`, `Int`, `Bool`, `Double`, an enum
/// value, a ``GraphQLValue``), an object that becomes the source of the next level, an array for a
/// list type, or `nil` (an `Optional`) for null.
/// ```swift
/// GraphQLField("id", .nonNull(.id)) { (task: TaskRecord, _, _: Void) in task.id.rawValue }
/// GraphQLField("task", "Task", arguments: [GraphQLArgument("taskId", .nonNull(.id))]) {
///     (args, context: GatewayContext) async throws in
///     try await context.backend.task(TaskID(args.string("taskId") ?? ""))
/// }
/// ```
/// Throw ``GraphQLError`` (or any error conforming to ``GraphQLErrorConvertible``) to report an
/// error with `extensions.code`; the field becomes null (and null propagates if it is non-null).
public struct GraphQLField: Sendable {
    /// The field's name.
    public let name: String
    /// Its output type.
    public let type: GraphQLTypeReference
    /// Its arguments.
    public let arguments: [GraphQLArgument]
    /// Its documentation.
    public let description: String?
    /// Why it is deprecated, if it is.
    public let deprecationReason: String?
    /// How its value is produced.
    @usableFromInline package let resolver: FieldResolver

    /// A field without a resolver: it reads member `name` of a ``GraphQLObject`` or
    /// ``GraphQLValue/object(_:)`` source (and is null otherwise). Also what interface fields use.
    /// - Parameters:
    ///   - name: the field name.
    ///   - type: its output type.
    ///   - description: documentation.
    ///   - deprecationReason: marks it deprecated.
    ///   - arguments: its arguments.
    public init(
        _ name: String,
        _ type: GraphQLTypeReference,
        description: String? = nil,
        deprecationReason: String? = nil,
        arguments: [GraphQLArgument] = []
    ) {
        self.init(name, type, description, deprecationReason, arguments, .property)
    }

    /// A field with a synchronous resolver of its parent `Source` and a request `Context`.
    /// - Parameters:
    ///   - name: the field name.
    ///   - type: its output type.
    ///   - description: documentation.
    ///   - deprecationReason: marks it deprecated.
    ///   - arguments: its arguments.
    ///   - resolve: produces the value from the parent, the coerced arguments and the context.
    @inlinable
    public init<Source, Context, Output: Sendable>(
        _ name: String,
        _ type: GraphQLTypeReference,
        description: String? = nil,
        deprecationReason: String? = nil,
        arguments: [GraphQLArgument] = [],
        resolve: @escaping @Sendable (Source, GraphQLArguments, Context) throws -> Output
    ) {
        let field = name
        self.init(name, type, description, deprecationReason, arguments, .sync { source, arguments, context in
            try erase(resolve(cast(source, field, "source"), arguments, castContext(context, field)))
        })
    }

    /// A field with an `async` resolver of its parent `Source` and a request `Context`.
    /// - Parameters:
    ///   - name: the field name.
    ///   - type: its output type.
    ///   - description: documentation.
    ///   - deprecationReason: marks it deprecated.
    ///   - arguments: its arguments.
    ///   - resolve: produces the value from the parent, the coerced arguments and the context.
    @inlinable
    public init<Source, Context, Output: Sendable>(
        _ name: String,
        _ type: GraphQLTypeReference,
        description: String? = nil,
        deprecationReason: String? = nil,
        arguments: [GraphQLArgument] = [],
        resolve: @escaping @Sendable (Source, GraphQLArguments, Context) async throws -> Output
    ) {
        let field = name
        self.init(name, type, description, deprecationReason, arguments, .async { source, arguments, context in
            try await erase(resolve(cast(source, field, "source"), arguments, castContext(context, field)))
        })
    }

    /// A root-level field (its parent is the root value, which it ignores) with a synchronous resolver.
    /// - Parameters:
    ///   - name: the field name.
    ///   - type: its output type.
    ///   - description: documentation.
    ///   - deprecationReason: marks it deprecated.
    ///   - arguments: its arguments.
    ///   - resolve: produces the value from the coerced arguments and the context.
    @inlinable
    public init<Context, Output: Sendable>(
        _ name: String,
        _ type: GraphQLTypeReference,
        description: String? = nil,
        deprecationReason: String? = nil,
        arguments: [GraphQLArgument] = [],
        resolve: @escaping @Sendable (GraphQLArguments, Context) throws -> Output
    ) {
        let field = name
        self.init(name, type, description, deprecationReason, arguments, .sync { _, arguments, context in
            try erase(resolve(arguments, castContext(context, field)))
        })
    }

    /// A root-level field (its parent is the root value, which it ignores) with an `async` resolver.
    /// - Parameters:
    ///   - name: the field name.
    ///   - type: its output type.
    ///   - description: documentation.
    ///   - deprecationReason: marks it deprecated.
    ///   - arguments: its arguments.
    ///   - resolve: produces the value from the coerced arguments and the context.
    @inlinable
    public init<Context, Output: Sendable>(
        _ name: String,
        _ type: GraphQLTypeReference,
        description: String? = nil,
        deprecationReason: String? = nil,
        arguments: [GraphQLArgument] = [],
        resolve: @escaping @Sendable (GraphQLArguments, Context) async throws -> Output
    ) {
        let field = name
        self.init(name, type, description, deprecationReason, arguments, .async { _, arguments, context in
            try await erase(resolve(arguments, castContext(context, field)))
        })
    }

    /// A field whose synchronous resolver may return `nil` (null).
    /// - Parameters:
    ///   - name: the field name.
    ///   - type: its output type.
    ///   - description: documentation.
    ///   - deprecationReason: marks it deprecated.
    ///   - arguments: its arguments.
    ///   - resolve: produces the value (or `nil`) from the parent, the arguments and the context.
    @inlinable
    public init<Source, Context, Output: Sendable>(
        _ name: String,
        _ type: GraphQLTypeReference,
        description: String? = nil,
        deprecationReason: String? = nil,
        arguments: [GraphQLArgument] = [],
        resolve: @escaping @Sendable (Source, GraphQLArguments, Context) throws -> Output?
    ) {
        let field = name
        self.init(name, type, description, deprecationReason, arguments, .sync { source, arguments, context in
            try eraseOptional(resolve(cast(source, field, "source"), arguments, castContext(context, field)))
        })
    }

    /// A field whose `async` resolver may return `nil` (null).
    /// - Parameters:
    ///   - name: the field name.
    ///   - type: its output type.
    ///   - description: documentation.
    ///   - deprecationReason: marks it deprecated.
    ///   - arguments: its arguments.
    ///   - resolve: produces the value (or `nil`) from the parent, the arguments and the context.
    @inlinable
    public init<Source, Context, Output: Sendable>(
        _ name: String,
        _ type: GraphQLTypeReference,
        description: String? = nil,
        deprecationReason: String? = nil,
        arguments: [GraphQLArgument] = [],
        resolve: @escaping @Sendable (Source, GraphQLArguments, Context) async throws -> Output?
    ) {
        let field = name
        self.init(name, type, description, deprecationReason, arguments, .async { source, arguments, context in
            try await eraseOptional(resolve(cast(source, field, "source"), arguments, castContext(context, field)))
        })
    }

    /// A root-level field whose synchronous resolver may return `nil` (null).
    /// - Parameters:
    ///   - name: the field name.
    ///   - type: its output type.
    ///   - description: documentation.
    ///   - deprecationReason: marks it deprecated.
    ///   - arguments: its arguments.
    ///   - resolve: produces the value (or `nil`) from the arguments and the context.
    @inlinable
    public init<Context, Output: Sendable>(
        _ name: String,
        _ type: GraphQLTypeReference,
        description: String? = nil,
        deprecationReason: String? = nil,
        arguments: [GraphQLArgument] = [],
        resolve: @escaping @Sendable (GraphQLArguments, Context) throws -> Output?
    ) {
        let field = name
        self.init(name, type, description, deprecationReason, arguments, .sync { _, arguments, context in
            try eraseOptional(resolve(arguments, castContext(context, field)))
        })
    }

    /// A root-level field whose `async` resolver may return `nil` (null).
    /// - Parameters:
    ///   - name: the field name.
    ///   - type: its output type.
    ///   - description: documentation.
    ///   - deprecationReason: marks it deprecated.
    ///   - arguments: its arguments.
    ///   - resolve: produces the value (or `nil`) from the arguments and the context.
    @inlinable
    public init<Context, Output: Sendable>(
        _ name: String,
        _ type: GraphQLTypeReference,
        description: String? = nil,
        deprecationReason: String? = nil,
        arguments: [GraphQLArgument] = [],
        resolve: @escaping @Sendable (GraphQLArguments, Context) async throws -> Output?
    ) {
        let field = name
        self.init(name, type, description, deprecationReason, arguments, .async { _, arguments, context in
            try await eraseOptional(resolve(arguments, castContext(context, field)))
        })
    }

    @usableFromInline
    init(
        _ name: String,
        _ type: GraphQLTypeReference,
        _ description: String?,
        _ deprecationReason: String?,
        _ arguments: [GraphQLArgument],
        _ resolver: FieldResolver
    ) {
        self.name = name
        self.type = type
        self.description = description
        self.deprecationReason = deprecationReason
        self.arguments = arguments
        self.resolver = resolver
    }
}

/// A type-erased resolver. Sources and results travel as `Any`: the typed initialisers of
/// ``GraphQLField`` only accept `Sendable` outputs, so every value that flows here is `Sendable`.
@usableFromInline
package enum FieldResolver: Sendable {
    /// Reads the member of the field's name from a `GraphQLObject` source.
    case property
    /// Runs inline.
    case sync(@Sendable (Any, GraphQLArguments, Any) throws -> ResolvedValue)
    /// May suspend.
    case async(@Sendable (Any, GraphQLArguments, Any) async throws -> ResolvedValue)
}

/// Casts a resolver's source or context to the type its closure declares.
@inlinable @inline(__always)
func cast<T>(_ value: Any, _ field: String, _ role: String) throws(GraphQLError) -> T {
    if let typed = exactClassInstance(value, as: T.self) { return typed }
    if let typed = value as? T { return typed }
    throw GraphQLError(
        "Field '\(field)' expected a \(role) of type \(T.self), got \(type(of: value)).",
        code: "INTERNAL_SERVER_ERROR"
    )
}

/// `value` as a `T` when `T` is a class and `value` holds an instance of exactly that class; `nil`
/// otherwise (the caller then falls back to a dynamic cast).
///
/// Reads the `Any` container directly (ABI: three words of inline buffer, then the type metadata; a
/// class reference sits in the first word), which avoids `swift_dynamicCast` for the common case of
/// a resolver whose parent is a class instance: one comparison instead of a runtime cast per field.
@inlinable @inline(__always)
func exactClassInstance<T>(_ value: Any, as type: T.Type) -> T? {
    guard T.self is AnyObject.Type, MemoryLayout<T>.size == MemoryLayout<Int>.size else { return nil }
    // `as Any` keeps the container closed (without it the argument would be opened to its dynamic type).
    let container = unsafeBitCast(value as Any, to: (UnsafeRawPointer?, Int, Int, UnsafeRawPointer).self)
    guard container.3 == unsafeBitCast(T.self, to: UnsafeRawPointer.self), let object = container.0 else { return nil }
    return unsafeBitCast(object, to: T.self)
}

/// What a resolver produced: the common leaf values unboxed, anything else as `Any`.
@usableFromInline
package enum ResolvedValue {
    case null
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case value(Any)
}

extension ResolvedValue {
    /// Wraps a value, treating `nil` and `GraphQLValue.null` as null.
    @usableFromInline
    init(_ value: Any?) {
        guard let value else { self = .null; return }
        if let graphQL = value as? GraphQLValue, graphQL.isNull { self = .null; return }
        self = .value(value)
    }

    /// The value as `Any`, for slow paths.
    package var any: Any {
        switch self {
        case .null: GraphQLValue.null
        case .string(let value): value
        case .int(let value): value
        case .double(let value): value
        case .bool(let value): value
        case .value(let value): value
        }
    }
}

/// Turns a resolver's typed output into a ``ResolvedValue``. Inlined into the caller's module,
/// where `Output` is concrete, so the casts fold away at compile time.
@inlinable @inline(__always)
func erase<Output>(_ output: Output) -> ResolvedValue {
    if let string = output as? String { return .string(string) }
    if let int = output as? Int { return .int(int) }
    if let bool = output as? Bool { return .bool(bool) }
    if let double = output as? Double { return .double(double) }
    if let value = output as? GraphQLValue, value.isNull { return .null }
    if Output.self is any OptionalMarker.Type {
        guard let optional = output as? any OptionalMarker, let wrapped = optional.unwrappedAny else { return .null }
        return ResolvedValue(wrapped)
    }
    return .value(output)
}

/// Erases an optional output without dynamic casts: `nil` is null, a value is erased as usual.
@inlinable @inline(__always)
func eraseOptional<Output>(_ output: Output?) -> ResolvedValue {
    switch output {
    case .none: return .null
    case .some(let value): return erase(value)
    }
}

/// Casts the context; free when the resolver declares `Void` or `Any`.
@inlinable @inline(__always)
func castContext<Context>(_ value: Any, _ field: String) throws(GraphQLError) -> Context {
    if Context.self == Void.self { return unsafeBitCast((), to: Context.self) }
    return try cast(value, field, "context")
}

/// Lets the engine see through an `Optional` hidden in an `Any`.
@usableFromInline
package protocol OptionalMarker {
    /// The wrapped value (flattening nested optionals), or `nil`.
    var unwrappedAny: Any? { get }
}

extension Optional: OptionalMarker {
    @usableFromInline package var unwrappedAny: Any? {
        switch self {
        case .none: return nil
        case .some(let wrapped):
            if let nested = wrapped as? any OptionalMarker { return nested.unwrappedAny }
            return wrapped
        }
    }
}
