import GraphQLLite
import Scheduling
import Synchronization
import TaskCore

/// An answer of the gateway that may be a stream (graphql-sse).
public struct GatewayStreamingAnswer: Sendable {
    /// The status code.
    public var status: Int
    /// The header fields.
    public var headers: [(String, String)]
    /// The body, for an ordinary answer.
    public var body: [UInt8]
    /// The streamed body of a subscription (`text/event-stream`), else `nil`.
    public var stream: ResponseStream?
}

/// GraphQL over Server-Sent Events: the graphql-sse protocol's "distinct connections" mode.
///
/// `POST /graphql` (or `GET /graphql?query=`) with `Accept: text/event-stream` and a subscription
/// document answers `200 text/event-stream`: one `event: next` / `data: {"data": ...}` per source
/// event (the subscription's selection set executed with the event) and `event: complete` when the
/// source ends (the server shuts down). A query or mutation sent that way streams its one result
/// and completes. Documents that do not parse or validate, bad variables and invalid filter
/// arguments answer 400 with the usual JSON errors, as without the header.
extension GatewayHTTPHandler {
    /// Answers one HTTP request, streaming subscriptions; other requests as ``handle(method:path:query:headers:body:)``.
    /// - Parameters: as for ``handle(method:path:query:headers:body:)``.
    /// - Returns: the answer, with a ``ResponseStream`` for an event stream.
    public func handleStreaming(
        method: String, path: String, query: String?, headers: [(String, String)], body: [UInt8]
    ) async -> GatewayStreamingAnswer {
        guard Self.normalized(path) == Self.normalized(graphQLPath), method == "GET" || method == "POST",
            Self.wantsEventStream(headers)
        else {
            let plain = await handle(method: method, path: path, query: query, headers: headers, body: body)
            return GatewayStreamingAnswer(status: plain.status, headers: plain.headers, body: plain.body)
        }
        // The same middleware as `handle`: tokens (header or `?access_token=`), the cross-site rule,
        // and a read role that may not run mutations (GatewayExecutor+Access reads the scope).
        let head = AccessRequest(
            method: method, path: path, query: query ?? "", headers: headers.map { (name: $0.0, value: $0.1) },
            surface: .graphQL)
        let role: AccessRole?
        switch await accessControl.admit(head) {
        case .allowed(let found): role = found
        case .answered(let refusal, let known):
            if refusal.status == 401 || refusal.status == 403 { accessControl.record(head, role: known, status: refusal.status, fields: nil) }
            let answer = Self.answer(refusal)
            return GatewayStreamingAnswer(status: answer.status, headers: answer.headers, body: answer.body)
        }
        // A token given as `?access_token=` (EventSource) goes upstream as a header.
        let authorization = Self.header("authorization", in: headers) ?? head.bearerToken.map { "Bearer " + $0 }
        let scope = GatewayRequestScope(role: role, authorization: authorization, auditing: accessControl.audit != nil)
        var answer = await GatewayRequestScope.$current.withValue(scope) {
            await streamingUnguarded(method: method, query: query, headers: headers, body: body, role: role)
        }
        answer.headers.append(contentsOf: accessControl.corsHeaders(for: head).map { ($0.name, $0.value) })
        if let fields = scope.mutationFields { accessControl.record(head, role: role, status: answer.status, fields: fields) }
        return answer
    }

    /// The event-stream answer of a request the middleware let through.
    private func streamingUnguarded(
        method: String, query: String?, headers: [(String, String)], body: [UInt8], role: AccessRole?
    ) async -> GatewayStreamingAnswer {
        let request: GatewayGraphQLRequest
        do {
            request =
                method == "GET"
                ? try GatewayGraphQLRequest.fromGET(parameters: GatewayQueryString.parameters(query))
                : try GatewayGraphQLRequest.fromPOST(body: body, contentType: Self.header("content-type", in: headers))
        } catch {
            let answer = GatewayHTTPAnswer.requestError(error)
            return GatewayStreamingAnswer(status: answer.status, headers: answer.headers, body: answer.body)
        }
        let start = await executor.engine.subscribe(
            request.query, variables: request.variables, operationName: request.operationName, context: executor.context,
            allowedOperations: method == "GET" || role == .read ? [.query] : [.query, .mutation])
        switch start {
        case .response(let response):
            guard response.failure == nil else {
                let answer = await executor.execute(request, viaGET: method == "GET")
                return GatewayStreamingAnswer(status: answer.status, headers: answer.headers, body: answer.body)
            }
            let frame = Self.next(response)
            return Self.eventStream(ResponseStream { sink in
                _ = sink.write(frame)
                sink.finish(with: Self.complete)
            })
        case .subscription(let subscription):
            let filter: EventFilter
            do {
                filter = try GatewaySchema.eventFilter(field: subscription.fieldName, arguments: subscription.arguments)
            } catch {
                let body = GraphQLResponse(data: nil, errors: [error], failure: .validation).jsonBytes()
                return GatewayStreamingAnswer(status: 400, headers: [GatewayHTTPAnswer.jsonContentType], body: body)
            }
            guard let source = backend as? any WorkerEventSource else {
                return Self.unavailable("This gateway's backend does not deliver live events")
            }
            let events: EventSubscription
            do {
                events = try await source.subscribeChanges(filter, after: nil, bufferSize: EventBus.defaultBufferSize)
            } catch {
                return Self.refused(error) ?? Self.unavailable(GatewayErrorCode.describe(error).message)
            }
            metrics.subscriptionOpened()
            return Self.eventStream(ResponseStream { sink in
                await Self.pump(events, subscription, into: sink)
            })
        }
    }

    /// Runs the subscription's selection set for each event and streams the results.
    static func pump(_ events: EventSubscription, _ subscription: GraphQLSubscription, into sink: any ResponseStreamSink) async {
        sink.onClose { events.cancel() }
        let fellBehind = await withTaskGroup(of: Void.self) { group -> Bool in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(15))
                    if Task.isCancelled || sink.write(SSEFrames.ping) == .closed { return }
                }
            }
            defer { group.cancelAll() }
            for await published in events {
                let value: any Sendable
                switch published.event {
                case .task(let task): value = task
                case .job(let job): value = job
                case .jobDeleted: continue  // `Job!` cannot say "deleted"; /api/events does
                case .queue, .batch: continue  // no subscription field carries them
                }
                let response = await subscription.execute(event: value)
                switch sink.write(next(response)) {
                case .accepted: continue
                case .full:
                    events.cancel()
                    return true
                case .closed:
                    events.cancel()
                    return false
                }
            }
            return events.endReason == .overflow
        }
        if fellBehind {
            let error = GraphQLError("The subscriber fell behind and was disconnected; subscribe again.", code: "OVERFLOW")
            sink.finish(with: next(GraphQLResponse(data: nil, errors: [error])) + complete)
        } else {
            sink.finish(with: complete)
        }
    }

    static func next(_ response: GraphQLResponse) -> [UInt8] {
        Array("event: next\ndata: ".utf8) + response.jsonBytes() + Array("\n\n".utf8)
    }

    static let complete = Array("event: complete\ndata:\n\n".utf8)

    static func eventStream(_ stream: ResponseStream) -> GatewayStreamingAnswer {
        GatewayStreamingAnswer(
            status: 200,
            headers: [("Content-Type", "text/event-stream; charset=utf-8"), ("Cache-Control", "no-cache"), ("X-Accel-Buffering", "no")],
            body: [], stream: stream)
    }

    static func unavailable(_ message: String) -> GatewayStreamingAnswer {
        let error = GraphQLError(message, code: GatewayErrorCode.serviceUnavailable)
        return GatewayStreamingAnswer(
            status: 503, headers: [GatewayHTTPAnswer.jsonContentType], body: GraphQLResponse(data: nil, errors: [error]).jsonBytes())
    }

    /// The worker's 401 or 403 to the relayed event stream, as the same status for the caller
    /// (split mode with tokens), in the refusal shape of the middleware.
    static func refused(_ error: TaskCoreError) -> GatewayStreamingAnswer? {
        let status: Int
        switch error.code {
        case .unauthorized: status = 401
        case .forbidden: status = 403
        default: return nil
        }
        let code = status == 401 ? GatewayErrorCode.unauthenticated : GatewayErrorCode.forbidden
        return GatewayStreamingAnswer(
            status: status,
            headers: [GatewayHTTPAnswer.jsonContentType] + (status == 401 ? [("WWW-Authenticate", "Bearer")] : []),
            body: refusalBody(status: status, message: error.message, code: code))
    }

    /// Whether the client asks for an event stream (`Accept: text/event-stream`).
    static func wantsEventStream(_ headers: [(String, String)]) -> Bool {
        header("accept", in: headers)?.lowercased().contains("text/event-stream") == true
    }
}
