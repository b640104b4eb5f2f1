import Synchronization

/// One subscriber of an ``EventBus``: an `AsyncSequence` of ``PublishedEvent``s, in order, that
/// ends when the subscriber is too slow (``End/overflow``), is cancelled, or the bus closes.
public final class EventSubscription: AsyncSequence, Sendable {
    public typealias Element = PublishedEvent
    public typealias Failure = Never

    /// Why a subscription ended.
    public enum End: Sendable, Hashable {
        /// Its buffer was full when an event arrived: the events it had not read are dropped.
        case overflow
        /// ``EventSubscription/cancel()`` was called, or the iterating task was cancelled.
        case cancelled
        /// The bus was closed (the service shuts down).
        case closed
    }

    struct State {
        var buffer: [PublishedEvent] = []
        var head = 0
        var waiter: CheckedContinuation<PublishedEvent?, Never>?
        var end: End?
    }

    let id: Int
    /// The events this subscriber wants.
    public let filter: EventFilter
    /// How many events may wait unread.
    public let capacity: Int
    /// Whether a resume (`after:`) could not replay every event after the given id (they had
    /// already left the bus's replay ring, or the id came from another bus).
    public let replayIncomplete: Bool
    let bus: EventBus
    let state = Mutex(State())

    init(id: Int, filter: EventFilter, capacity: Int, bus: EventBus, replayIncomplete: Bool) {
        self.id = id
        self.filter = filter
        self.capacity = capacity
        self.bus = bus
        self.replayIncomplete = replayIncomplete
    }

    /// Why the subscription ended, or `nil` while it runs.
    public var endReason: End? { state.withLock { $0.end } }

    var isEnded: Bool { state.withLock { $0.end != nil } }

    /// How many events wait unread.
    public var bufferedCount: Int { state.withLock { $0.buffer.count - $0.head } }

    /// Hands an event over; `false` when the subscription has ended (now, by overflow, or before).
    func deliver(_ published: PublishedEvent) -> Bool {
        state.withLock { state -> Bool in
            guard state.end == nil else { return false }
            if let waiter = state.waiter {
                state.waiter = nil
                waiter.resume(returning: published)
                return true
            }
            if state.buffer.count - state.head >= capacity {
                state.end = .overflow
                state.buffer = []
                state.head = 0
                return false
            }
            state.buffer.append(published)
            return true
        }
    }

    /// Ends the subscription (if it has not ended) and wakes a waiting reader.
    func end(_ reason: End) {
        let waiter = state.withLock { state -> CheckedContinuation<PublishedEvent?, Never>? in
            if state.end == nil { state.end = reason }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Stops the subscription: the reader gets `nil`, the bus forgets it.
    public func cancel() {
        end(.cancelled)
        bus.remove(self)
    }

    /// The next event, waiting for one; `nil` once the subscription has ended.
    public func next() async -> PublishedEvent? {
        if let ready = takeBuffered() { return ready }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<PublishedEvent?, Never>) in
                let immediate = state.withLock { state -> PublishedEvent?? in
                    if state.head < state.buffer.count { return .some(state.pop()) }
                    if state.end != nil { return .some(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            self.cancel()
        }
    }

    /// The next event if one is buffered, without waiting.
    public func takeBuffered() -> PublishedEvent? {
        state.withLock { state in state.head < state.buffer.count ? state.pop() : nil }
    }

    public func makeAsyncIterator() -> Iterator { Iterator(subscription: self) }

    /// Iterates a subscription.
    public struct Iterator: AsyncIteratorProtocol {
        let subscription: EventSubscription

        public mutating func next() async -> PublishedEvent? { await subscription.next() }
    }
}

extension EventSubscription.State {
    mutating func pop() -> PublishedEvent {
        let event = buffer[head]
        head += 1
        if head == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 4096)
            head = 0
        } else if head >= 1024 && head * 2 >= buffer.count {
            buffer.removeFirst(head)
            head = 0
        }
        return event
    }
}
