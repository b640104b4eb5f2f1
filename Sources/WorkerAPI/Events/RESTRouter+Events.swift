public import Scheduling
import TaskCore

/// Settings of `GET /api/events`.
public struct EventStreamOptions: Sendable {
    /// Events that may wait for a subscriber before it is sent `event: overflow` and disconnected.
    public var bufferSize: Int
    /// How often a `: ping` comment goes out on an idle stream (15 s by default).
    public var pingInterval: Duration

    /// Creates options; the defaults are 1024 events and 15 s.
    public init(bufferSize: Int = EventBus.defaultBufferSize, pingInterval: Duration = .seconds(15)) {
        self.bufferSize = bufferSize
        self.pingInterval = pingInterval
    }
}

extension RESTRouter {
    /// `GET /api/events`: Server-Sent Events of every change matching the filters
    /// (`taskId`, `type`, `queue`, `jobId`, `batchId`, `events`), resumable with `Last-Event-ID`
    /// (header) or `lastEventId` (query). See `Docs/EVENTS.md`.
    func eventStream(_ request: RESTRequest) async throws(TaskCoreError) -> RESTResponse {
        guard let source = backend as? any WorkerEventSource else {
            return .error(501, "This backend does not deliver live events", code: "not_implemented")
        }
        let (filter, lastEventID) = try Self.eventFilter(request)
        let subscription = try await source.subscribeChanges(filter, after: lastEventID, bufferSize: options.events.bufferSize)
        let ping = options.events.pingInterval
        let cache = frameCache
        var response = RESTResponse(
            status: 200,
            headers: [("Content-Type", "text/event-stream; charset=utf-8"), ("Cache-Control", "no-cache"), ("X-Accel-Buffering", "no")])
        response.stream = ResponseStream { sink in
            await SSEPump.run(subscription, into: sink, ping: ping, cache: cache)
        }
        return response
    }

    /// The filter and resume point of an events request.
    /// - Throws: `invalidArgument` for an unknown parameter or a bad value.
    static func eventFilter(_ request: RESTRequest) throws(TaskCoreError) -> (EventFilter, UInt64?) {
        var filter = EventFilter()
        var lastEventID: UInt64?
        for (name, value) in RESTQuery(request.query).values {
            if name == "lastEventId" {
                lastEventID = try EventFilterParsing.lastEventID(value)
            } else if !EventFilterParsing.otherParameters.contains(name) {
                try EventFilterParsing.apply(name, value, to: &filter)
            }
        }
        if lastEventID == nil, let header = request.header("Last-Event-ID"), !header.isEmpty {
            lastEventID = try EventFilterParsing.lastEventID(header)
        }
        return (filter, lastEventID)
    }
}
