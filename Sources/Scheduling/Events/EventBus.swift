import TaskCore
import Synchronization

/// A ``ChangeEvent`` with the bus's sequence number.
public struct PublishedEvent: Sendable {
    /// Increases by one per event the bus numbers (starting at 1): each event published while
    /// someone subscribes or the replay ring records; what SSE sends as `id:`.
    public let id: UInt64
    /// The change.
    public let event: ChangeEvent

    /// Creates a published event (the bus numbers events itself; this is for tests and relays).
    public init(id: UInt64, event: ChangeEvent) {
        self.id = id
        self.event = event
    }
}

/// Fans ``ChangeEvent``s out to in-process subscribers, each with a bounded buffer.
///
/// ``publish(_:)`` never waits for a subscriber: it numbers the event, keeps it in a small replay
/// ring and appends it to the buffer of every subscriber whose ``EventFilter`` matches, all under
/// one short lock (so every subscriber sees events in publication order). The ring records while
/// someone subscribes and for `replayCapacity` events after the last one left (all a resuming
/// subscriber could be given); then it empties, and a change no one would receive costs its
/// publisher one atomic load (a resume after that is reported incomplete, as it would have been). A subscriber whose
/// buffer is full is ended with ``EventSubscription/End/overflow`` and dropped; the publisher (a
/// worker completing a task, say) is never slowed by it.
///
/// ```swift
/// let subscription = service.changes.subscribe(EventFilter(kinds: [.task]))
/// for await published in subscription { print(published.id, published.event) }
/// if subscription.endReason == .overflow { /* too slow: resubscribe, reload */ }
/// ```
public final class EventBus: Sendable {
    /// The buffer size of a subscriber unless it asks for another.
    public static let defaultBufferSize = 1024

    struct Registry {
        var nextEventID: UInt64 = 1
        var nextSubscriberID = 0
        /// Subscribers whose filter names a task, by that task (so a thousand of them cost nothing
        /// for the events of other tasks).
        var byTask: [TaskID: [EventSubscription]] = [:]
        /// Every other subscriber.
        var general: [EventSubscription] = []
        var count = 0
        /// The most recent events, oldest first from `ringStart` (a ring once full).
        var ring: [PublishedEvent] = []
        var ringStart = 0
        /// Events published since the last subscriber left; the ring stops recording (and empties)
        /// when this reaches the capacity. Starts there: no one has subscribed yet.
        var eventsWithoutSubscribers = Int.max
        var closed = false
    }

    let registry = Mutex(Registry())
    /// Whether the ring records or anyone subscribes (`Registry.isRecording`), readable without the
    /// lock: a change no one would receive is dropped before it is numbered or built, so the
    /// workers of a process no one listens to never meet on this lock.
    private let recording = Atomic<Bool>(false)
    /// How many recent events are kept for ``subscribe(_:bufferSize:after:)`` to replay.
    public let replayCapacity: Int

    /// Creates a bus.
    /// - Parameter replayCapacity: how many recent events to keep for resuming subscribers
    ///   (`Last-Event-ID`); 4096 by default.
    public init(replayCapacity: Int = 4096) {
        self.replayCapacity = max(0, replayCapacity)
    }

    /// The id of the latest event published, or 0 before the first.
    public var lastEventID: UInt64 { registry.withLock { $0.nextEventID - 1 } }

    /// Whether a published event would reach anyone: a subscriber, or the replay ring for one that
    /// just left. A publisher may skip building events (reading them from a store) when it is not.
    public var isRecording: Bool { recording.load(ordering: .acquiring) }

    /// How many subscribers are attached.
    public var subscriberCount: Int { registry.withLock { $0.count } }

    /// Publishes one event to every matching subscriber; never waits.
    /// - Parameter event: the change.
    /// - Returns: the event as published (with its id), or `nil` once the bus is closed.
    /// - Complexity: O(s) where s is the number of subscribers not bound to one task, plus those bound
    ///   to the event's task.
    @discardableResult
    public func publish(_ event: ChangeEvent) -> PublishedEvent? {
        registry.withLock { registry -> PublishedEvent? in
            guard !registry.closed else { return nil }
            let published = PublishedEvent(id: registry.takeEventID(), event: event)
            registry.fanOut(published, capacity: replayCapacity)
            if !registry.isRecording(capacity: replayCapacity) { recording.store(false, ordering: .releasing) }
            return published
        }
    }

    /// Publishes the event `makeEvent` builds, building (and numbering) it only when someone
    /// receives or the ring records it: on a bus no one listens to this is one atomic load. (A
    /// change published while the first subscriber attaches may be missed by it, as if published
    /// just before.)
    /// - Returns: whether anyone subscribed.
    func deliver(_ makeEvent: () -> ChangeEvent) -> Bool {
        guard recording.load(ordering: .acquiring) else { return false }
        return registry.withLock { registry -> Bool in
            guard !registry.closed, registry.isRecording(capacity: replayCapacity) else { return false }
            let listening = registry.count > 0
            registry.fanOut(PublishedEvent(id: registry.takeEventID(), event: makeEvent()), capacity: replayCapacity)
            if !registry.isRecording(capacity: replayCapacity) { recording.store(false, ordering: .releasing) }
            return listening
        }
    }

    /// Attaches a subscriber.
    /// - Parameters:
    ///   - filter: which events it wants.
    ///   - bufferSize: how many events may wait for it before it is ended with `overflow`.
    ///   - lastEventID: resume after this event id: the events after it that are still in the
    ///     replay ring and match come first. ``EventSubscription/replayIncomplete`` tells whether
    ///     some had already left the ring (or the id is from before this bus existed).
    /// - Returns: the subscription; iterate it, and cancel it (or stop iterating) when done.
    public func subscribe(_ filter: EventFilter = .all, bufferSize: Int = EventBus.defaultBufferSize, after lastEventID: UInt64? = nil)
        -> EventSubscription
    {
        registry.withLock { registry in
            let id = registry.nextSubscriberID
            registry.nextSubscriberID += 1
            var incomplete = false
            var replay: [PublishedEvent] = []
            if let lastEventID {
                let latest = registry.nextEventID - 1
                if lastEventID > latest {
                    incomplete = true  // an id of another bus (an earlier process): nothing to resume
                } else if lastEventID < latest {
                    let oldest = registry.ring.isEmpty ? latest + 1 : registry.oldestID
                    incomplete = lastEventID + 1 < oldest
                    registry.forEachRemembered { published in
                        if published.id > lastEventID && filter.matches(published.event) { replay.append(published) }
                    }
                }
            }
            let subscription = EventSubscription(
                id: id, filter: filter, capacity: max(1, bufferSize), bus: self, replayIncomplete: incomplete)
            for published in replay where !subscription.deliver(published) { break }
            if registry.closed {
                subscription.end(.closed)
                return subscription
            }
            if subscription.endReason != nil { return subscription }
            if let taskID = filter.taskID {
                registry.byTask[taskID, default: []].append(subscription)
            } else {
                registry.general.append(subscription)
            }
            registry.count += 1
            recording.store(true, ordering: .releasing)
            return subscription
        }
    }

    /// Ends every subscription (``EventSubscription/End/closed``) and refuses new events: for shutdown.
    public func close() {
        let ended = registry.withLock { registry -> [EventSubscription] in
            registry.closed = true
            recording.store(false, ordering: .releasing)
            let all = registry.general + registry.byTask.values.flatMap { $0 }
            registry.general = []
            registry.byTask = [:]
            registry.count = 0
            return all
        }
        for subscription in ended { subscription.end(.closed) }
    }

    /// Detaches a subscription (called by the subscription when it ends).
    func remove(_ subscription: EventSubscription) {
        registry.withLock { registry in
            if let taskID = subscription.filter.taskID {
                guard var bound = registry.byTask[taskID], let index = bound.firstIndex(where: { $0 === subscription })
                else { return }
                bound.remove(at: index)
                registry.byTask[taskID] = bound.isEmpty ? nil : bound
            } else {
                guard let index = registry.general.firstIndex(where: { $0 === subscription }) else { return }
                registry.general.remove(at: index)
            }
            registry.count -= 1
            if registry.count == 0 { registry.eventsWithoutSubscribers = 0 }
        }
    }
}

extension EventBus.Registry {
    var oldestID: UInt64 { ring[ringStart].id }

    mutating func remember(_ published: PublishedEvent, capacity: Int) {
        guard capacity > 0 else { return }
        if ring.count < capacity {
            ring.append(published)
        } else {
            ring[ringStart] = published
            ringStart = (ringStart + 1) % capacity
        }
    }

    /// Whether a new event is delivered or kept: someone subscribes, or one left less than
    /// `capacity` events ago.
    func isRecording(capacity: Int) -> Bool { count > 0 || eventsWithoutSubscribers < capacity }

    mutating func takeEventID() -> UInt64 {
        defer { nextEventID += 1 }
        return nextEventID
    }

    /// Appends `published` to every matching subscriber's buffer and keeps it in the ring; with no
    /// subscriber, keeps it only while one that just left could still resume from the ring.
    mutating func fanOut(_ published: PublishedEvent, capacity: Int) {
        guard count > 0 else {
            if eventsWithoutSubscribers < capacity {
                eventsWithoutSubscribers += 1
                remember(published, capacity: capacity)
            } else {
                forgetRing()
            }
            return
        }
        remember(published, capacity: capacity)
        let event = published.event
        var overflowed = false
        if let taskID = event.taskID, let bound = byTask[taskID] {
            for subscription in bound where subscription.filter.matches(event) {
                if !subscription.deliver(published) { overflowed = true }
            }
        }
        for subscription in general where subscription.filter.matches(event) {
            if !subscription.deliver(published) { overflowed = true }
        }
        if overflowed { removeEnded() }
    }

    /// Empties the ring: no resume could use it any more.
    mutating func forgetRing() {
        guard !ring.isEmpty else { return }
        ring.removeAll()
        ringStart = 0
    }

    func forEachRemembered(_ body: (PublishedEvent) -> Void) {
        for index in 0..<ring.count { body(ring[(ringStart + index) % ring.count]) }
    }

    /// Drops subscriptions that ended (overflowed) during a publish.
    mutating func removeEnded() {
        let before = general.count + byTask.values.reduce(0) { $0 + $1.count }
        general.removeAll { $0.isEnded }
        for (taskID, bound) in byTask {
            let kept = bound.filter { !$0.isEnded }
            byTask[taskID] = kept.isEmpty ? nil : kept
        }
        let after = general.count + byTask.values.reduce(0) { $0 + $1.count }
        count -= before - after
        if count == 0 { eventsWithoutSubscribers = 0 }
    }
}
