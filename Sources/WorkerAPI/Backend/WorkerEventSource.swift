public import Scheduling
public import TaskCore

/// A backend that can deliver live change events (`GET /api/events`, GraphQL subscriptions):
/// the in-process ``Scheduling/WorkerService`` through its ``Scheduling/EventBus``, or
/// ``RemoteWorkerBackend`` through the worker's `/api/events`.
public protocol WorkerEventSource: Sendable {
    /// Subscribes to the changes that match `filter`.
    /// - Parameters:
    ///   - filter: which events.
    ///   - lastEventID: resume after this event id (`Last-Event-ID`), when the source can.
    ///   - bufferSize: events that may wait unread before the subscriber is dropped (`overflow`).
    /// - Returns: the subscription.
    /// - Throws: `unavailable` when the source cannot be reached.
    func subscribeChanges(_ filter: EventFilter, after lastEventID: UInt64?, bufferSize: Int)
        async throws(TaskCoreError) -> EventSubscription
}

extension WorkerService: WorkerEventSource {
    public func subscribeChanges(_ filter: EventFilter, after lastEventID: UInt64?, bufferSize: Int)
        async throws(TaskCoreError) -> EventSubscription
    {
        changes.subscribe(filter, bufferSize: bufferSize, after: lastEventID)
    }
}
