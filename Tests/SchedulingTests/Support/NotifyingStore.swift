import Foundation
import TaskCore

/// An in-memory store that also notifies, as PostgreSQL's LISTEN/NOTIFY would: `notify()` stands in
/// for another process's enqueue.
final class NotifyingStore: TaskStoreNotifying, ForwardingStore {
    let inner = InMemoryTaskStore()
    var base: any TaskStore { inner }
    private let stream = AsyncStream<Void>.makeStream()

    func readyNotifications() -> AsyncStream<Void> { stream.stream }
    func notify() { stream.continuation.yield() }
}
