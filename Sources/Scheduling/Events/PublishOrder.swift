import Synchronization

/// Keeps each task's events in the order its changes happened, where two actors of this process
/// change the same task: the creator (of a task, a retry, a cron fire, a batch) publishes after the
/// store returns, and by then the pool may already have claimed the task and published
/// `processing`. A subscriber keeping the latest state per task would then show a running or
/// finished task as `pending`.
///
/// The creator holds a ticket from before its store change until it has published. An event of
/// the pool (a claim, then everything after it) that arrives while a ticket taken before it is
/// open waits here, and goes out, in arrival order, once every such ticket is back. Events are
/// published under this type's lock, so nothing overtakes what is released. Waiting is bounded by
/// one store call of the creator; with no ticket open and nothing waiting an event goes straight out.
final class PublishOrder: Sendable {
    /// An open create.
    struct Ticket: Sendable { fileprivate let number: UInt64 }

    private struct Held {
        /// The last ticket issued when the event arrived: it waits for every ticket up to this one.
        var after: UInt64
        var publish: @Sendable () -> Void
    }

    private struct State {
        var issued: UInt64 = 0
        var open: Set<UInt64> = []
        var held: [Held] = []
        var heldStart = 0  // consumed prefix of `held` (popping the front stays O(1))
        var hasHeld: Bool { heldStart < held.count }
    }

    private let state = Mutex(State())

    /// Takes a ticket before a store change that makes tasks claimable.
    func open() -> Ticket {
        state.withLock { state -> Ticket in
            state.issued += 1
            state.open.insert(state.issued)
            return Ticket(number: state.issued)
        }
    }

    /// Publishes the creator's own events (`publish`, which never waits), returns its ticket, and
    /// releases the events that waited only for it.
    func close(_ ticket: Ticket, publishing publish: () -> Void) {
        state.withLock { state in
            publish()
            state.open.remove(ticket.number)
            let oldestOpen = state.open.min() ?? .max
            while state.hasHeld, state.held[state.heldStart].after < oldestOpen {
                state.held[state.heldStart].publish()
                state.heldStart += 1
            }
            if !state.hasHeld {
                state.held.removeAll(keepingCapacity: state.held.count <= 64)
                state.heldStart = 0
            }
        }
    }

    /// Publishes an event of the pool now, or after the creates open when it arrived (and after the
    /// events already waiting, so that a task's completion never overtakes its claim).
    func publish(_ publish: @escaping @Sendable () -> Void) {
        state.withLock { state in
            guard state.hasHeld || !state.open.isEmpty else {
                publish()
                return
            }
            state.held.append(Held(after: state.issued, publish: publish))
        }
    }
}
