import Synchronization

/// Signals that a non-null position became null: the error is already recorded, and the parent
/// must become null (or signal further up).
package struct NullBubble: Error {}

/// Carries a non-`Sendable`-typed value (always produced by a `Sendable`-typed resolver, see
/// ``FieldResolver``) into a child task.
package struct SourceBox: @unchecked Sendable {
    package let value: Any
}

/// Runs one operation (spec §6): variables, plans, resolvers, completion, null propagation.
///
/// Its state is written only during `init`; the error list is behind a `Mutex` because concurrent
/// child tasks append to it. That is why it can be `@unchecked Sendable`.
package final class Executor: @unchecked Sendable {
    let schema: GraphQLSchema
    let context: Any
    private let errorList = Mutex<[GraphQLError]>([])

    init(schema: GraphQLSchema, context: Any) {
        self.schema = schema
        self.context = context
    }

    static func run(
        schema: GraphQLSchema, document: GraphQLDocument, variables: GraphQLObject, operationName: String?,
        context: any Sendable, rootValue: any Sendable, allowedOperations: Set<GraphQLOperationType>
    ) async -> GraphQLResponse {
        // Pick the operation.
        let operation: OperationDefinition
        if let operationName {
            guard let named = document.operations.first(where: { $0.name == operationName }) else {
                return requestFailure("Unknown operation named \"\(operationName)\".")
            }
            operation = named
        } else {
            guard document.operations.count == 1 else {
                return requestFailure(document.operations.isEmpty
                    ? "Must provide an operation."
                    : "Must provide operation name if query contains multiple operations.")
            }
            operation = document.operations[0]
        }
        if operation.operation == .subscription && !allowedOperations.contains(.subscription) {
            return requestFailure("A subscription needs a streaming transport (over HTTP: Accept: text/event-stream); use a query or a mutation here.", position: operation.position)
        }
        guard allowedOperations.contains(operation.operation) else {
            return GraphQLResponse(data: nil, errors: [GraphQLError(
                "Operation type \"\(operation.operation.rawValue)\" is not allowed here.",
                code: "BAD_REQUEST", locations: [operation.position.location]
            )], failure: .operationNotAllowed)
        }
        guard let rootType = schema.rootType(for: operation.operation) else {
            return requestFailure("Schema is not configured to execute \(operation.operation.rawValue) operation.", position: operation.position)
        }
        // Variables.
        let coerced: GraphQLObject
        if operation.variables.isEmpty {
            coerced = GraphQLObject()
        } else {
            switch InputCoercion.variables(operation.variables, variables, schema: schema) {
            case .success(let values): coerced = values
            case .failure(let error): return GraphQLResponse(data: nil, errors: [error], failure: .request)
            }
        }
        // Plan.
        var planner = Planner(schema: schema, fragments: document.fragments, variables: coerced, budget: 100_000)
        let plan: SelectionPlan
        do {
            plan = try planner.plan(rootType, [operation.selectionSet], isRoot: true)
        } catch {
            return requestFailure("The operation expands to more than 100000 fields.", position: operation.position)
        }
        // Execute.
        let executor = Executor(schema: schema, context: context)
        var path: [GraphQLPathComponent] = []
        path.reserveCapacity(16)
        var data: GraphQLValue
        do {
            if plan.isSync {
                data = try executor.executeSync(plan, source: rootValue, path: &path)
            } else {
                data = try await executor.executeAsync(plan, source: rootValue, path: &path, serial: operation.operation == .mutation)
            }
        } catch {
            data = .null
        }
        return GraphQLResponse(data: data, errors: executor.errors)
    }

    private static func requestFailure(_ message: String, position: SourcePosition? = nil) -> GraphQLResponse {
        GraphQLResponse(
            data: nil,
            errors: [GraphQLError(message, code: "BAD_REQUEST", locations: position.map { [$0.location] } ?? [])],
            failure: .request
        )
    }

    var errors: [GraphQLError] { errorList.withLock { $0 } }

    /// Records a field error with its location and path.
    func record(_ error: any Error, _ field: FieldPlan, _ path: [GraphQLPathComponent]) {
        var graphQLError: GraphQLError
        switch error {
        case let error as GraphQLError: graphQLError = error
        case let error as any GraphQLErrorConvertible: graphQLError = error.graphQLError
        default: graphQLError = GraphQLError(String(describing: error), code: "INTERNAL_SERVER_ERROR")
        }
        if graphQLError.locations.isEmpty { graphQLError.locations = [field.node.position.location] }
        graphQLError.path = path
        errorList.withLock { $0.append(graphQLError) }
    }

    /// Runs a field's resolver (or meta-field) synchronously; `.async` resolvers are not called here.
    @inline(__always)
    func resolveSync(_ field: FieldPlan, _ source: Any, _ arguments: GraphQLArguments) throws -> ResolvedValue {
        switch field.kind {
        case .field:
            switch field.field.resolver {
            case .sync(let resolve): return try resolve(source, arguments, context)
            case .property: return ResolvedValue(Executor.property(field.field.name, of: source))
            case .async: return .null
            }
        case .typename: return .null
        case .schema: return .value(schema)
        case .type: return ResolvedValue(arguments.string("name").flatMap { schema.type(named: $0) }.map { TypeRef.named($0) })
        }
    }

    /// The default resolver: member `name` of a `GraphQLObject` source.
    static func property(_ name: String, of source: Any) -> Any? {
        if let object = source as? GraphQLObject { return object[name] }
        if case .object(let object)? = source as? GraphQLValue { return object[name] }
        return nil
    }
}
