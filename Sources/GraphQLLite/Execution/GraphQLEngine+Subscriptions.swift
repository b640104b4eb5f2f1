/// A validated subscription operation (spec §6.2.3): the one root field that is its event source,
/// with coerced arguments, and the execution of the selection set for each event.
///
/// The engine knows nothing of where events come from: the caller creates the source stream from
/// ``fieldName`` and ``arguments`` (CreateSourceEventStream) and calls ``execute(event:)`` for
/// each event (MapSourceToResponseEvent), which runs the operation with the event as the root
/// value, so the root field's resolver receives the event as its source.
/// ```swift
/// guard case .subscription(let subscription) = await engine.subscribe(text, context: context) else { ... }
/// for await task in source(subscription.fieldName, subscription.arguments) {
///     let response = await subscription.execute(event: task)   // {"data": {"taskUpdated": {...}}}
/// }
/// ```
public struct GraphQLSubscription: Sendable {
    /// The name of the root field (`taskUpdated`).
    public let fieldName: String
    /// Its response key (the alias, or the name).
    public let responseKey: String
    /// Its coerced arguments.
    public let arguments: GraphQLArguments
    let engine: GraphQLEngine
    let document: GraphQLDocument
    let variables: GraphQLObject
    let operationName: String?
    let context: any Sendable

    /// Executes the subscription's selection set for one event.
    /// - Parameter event: the source event; the root field's resolver gets it as its source.
    /// - Returns: the response for the event (`{"data": {...}}`, with field errors if any).
    public func execute(event: any Sendable) async -> GraphQLResponse {
        await engine.execute(
            document: document, variables: variables, operationName: operationName, context: context, rootValue: event,
            allowedOperations: [.subscription])
    }
}

/// What ``GraphQLEngine/subscribe(_:variables:operationName:context:allowedOperations:)`` made of a request.
public enum GraphQLSubscriptionStart: Sendable {
    /// A valid subscription: create its source stream and execute it per event.
    case subscription(GraphQLSubscription)
    /// A single response instead: the request failed (parse, validation, variables, arguments), or
    /// it was a query or mutation (executed as usual when allowed).
    case response(GraphQLResponse)
}

extension GraphQLEngine {
    /// Starts a request that may be a subscription: parses and validates it (through the cache),
    /// picks the operation, coerces the variables and the root field's arguments.
    /// - Parameters:
    ///   - query: the document text.
    ///   - variables: variable values.
    ///   - operationName: which operation, when the document has several.
    ///   - context: handed to every resolver, for every event.
    ///   - allowedOperations: what may run when the operation is not a subscription.
    /// - Returns: the prepared subscription, or the response to send instead.
    public func subscribe(
        _ query: String, variables: GraphQLObject = GraphQLObject(), operationName: String? = nil,
        context: any Sendable = (), allowedOperations: Set<GraphQLOperationType> = [.query, .mutation]
    ) async -> GraphQLSubscriptionStart {
        let document: GraphQLDocument
        switch prepare(query) {
        case .success(let prepared): document = prepared
        case .failure(let box): return .response(box.response)
        }
        let operation: OperationDefinition? =
            operationName.map { name in document.operations.first { $0.name == name } }
            ?? (document.operations.count == 1 ? document.operations[0] : nil)
        guard let operation, operation.operation == .subscription, let rootType = schema.rootType(for: .subscription) else {
            // Not a subscription (or no single operation): the ordinary path reports it.
            return .response(await execute(
                document: document, variables: variables, operationName: operationName, context: context,
                allowedOperations: allowedOperations.subtracting([.subscription])))
        }
        let coerced: GraphQLObject
        if operation.variables.isEmpty {
            coerced = GraphQLObject()
        } else {
            switch InputCoercion.variables(operation.variables, variables, schema: schema) {
            case .success(let values): coerced = values
            case .failure(let error): return .response(GraphQLResponse(data: nil, errors: [error], failure: .request))
            }
        }
        var planner = Planner(schema: schema, fragments: document.fragments, variables: coerced, budget: 100_000)
        guard let plan = try? planner.plan(rootType, [operation.selectionSet], isRoot: true), let root = plan.fields.first else {
            return .response(GraphQLResponse(
                data: nil, errors: [GraphQLError("The subscription selects no field.", code: "BAD_REQUEST")], failure: .request))
        }
        if var error = root.argumentError {
            if error.locations.isEmpty { error.locations = [root.node.position.location] }
            return .response(GraphQLResponse(data: nil, errors: [error], failure: .request))
        }
        return .subscription(GraphQLSubscription(
            fieldName: root.node.name, responseKey: root.responseKey, arguments: root.argumentValues, engine: self,
            document: document, variables: variables, operationName: operationName, context: context))
    }
}
