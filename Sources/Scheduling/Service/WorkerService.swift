import Foundation
public import TaskCore
import Synchronization

/// A background task queue with a cron scheduler, on any ``TaskCore/TaskStore``.
///
/// Register a handler per task type, then ``run()`` the service: a pool of
/// ``WorkerConfiguration/concurrency`` slots claims ready tasks of the registered types, runs their
/// handlers under a renewed lease, retries failures with back-off, and a scheduler enqueues the
/// tasks of cron jobs when they are due. The same object is the facade the REST and GraphQL layers
/// call (create, list, cancel, retry tasks; manage jobs).
///
/// ```swift
/// let service = WorkerService(store: InMemoryTaskStore(), configuration: .init(concurrency: 4))
/// service.register("email") { task, context in
///     await context.log("sending to \(task.payload["to"]?.stringValue ?? "?")")
///     return ["sent": true]
/// }
/// try await service.run()   // until shutdown() or cancellation
/// ```
///
/// Several services (in one process or many) may share one store: each claims only the types it
/// has handlers for, and each cron fire time enqueues exactly one task.
public final class WorkerService: Sendable {
    /// Where tasks and jobs live.
    public let store: any TaskStore
    /// How the service runs.
    public let configuration: WorkerConfiguration
    /// The clock every timing decision uses.
    public let clock: any ServiceClock
    let events: WorkerEventSink
    /// Every change of a task or job made through this service (and, while it runs on a store with
    /// a ``TaskCore/TaskStoreChangeFeed``, by other processes sharing the store), for live
    /// subscribers: see `Docs/EVENTS.md`.
    public let changes: EventBus
    /// What this process did, as counters that only grow (see ``ServiceMetrics``).
    public let metrics = ServiceMetrics()

    struct Handlers {
        var byType: [String: TaskHandler] = [:]
        var types: Set<String> = []
    }

    let handlers = Mutex(Handlers())
    let book: Mutex<PoolBook>
    /// Raised when tasks may have become ready (enqueue, retry, recovery, notifications, stop).
    let poolWake = WakeSignal()
    /// Raised when jobs change (create, update, resume, delete) or on stop.
    let cronWake = WakeSignal()
    /// Raised when the maintenance loop must look again (a nearer deadline, stop).
    let maintenanceWake = WakeSignal()
    /// Raised on ``shutdown()``, and when the last running handler finishes while stopping.
    let stopWake = WakeSignal()
    let drained = WakeSignal()
    let lifecycle = Mutex(Lifecycle.idle)
    /// Group commit of completions, when the store can complete in batches.
    let batcher: CompletionBatcher?
    /// Unhandled task types already warned about (warned once until they clear).
    let warnedTypes = Mutex(Set<String>())
    /// The store's flow-control ability (queues, limits), when it has one.
    let flowStore: (any TaskStoreFlowControl)?
    /// Batch and dependent changes implied by published task changes.
    let followUps = FollowUpEvents()
    let publishOrder = PublishOrder()
    /// Whether the store settles dependencies (then a completion may make other tasks ready).
    /// Stored, not computed: a conformance check costs a dynamic cast, and it is asked per completion.
    let hasWorkflows: Bool

    enum Lifecycle { case idle, running, stopping }

    /// Creates a service.
    /// - Parameters:
    ///   - store: where tasks and jobs live; may be shared with other services and processes.
    ///   - configuration: slots, leases, timeouts, back-off, polling, cron and retention.
    ///   - clock: the time source; ``SystemClock`` by default, a ``ManualClock`` in tests.
    ///   - events: where operator-facing events (warnings, skipped cron fires, …) go.
    ///   - changes: the bus that change events are published on (a new one by default).
    public init(
        store: any TaskStore, configuration: WorkerConfiguration = WorkerConfiguration(),
        clock: any ServiceClock = SystemClock(), events: WorkerEventSink = .discarding,
        changes: EventBus = EventBus()
    ) {
        self.changes = changes
        self.store = store
        self.configuration = configuration
        self.clock = clock
        self.events = events
        self.book = Mutex(PoolBook(concurrency: configuration.concurrency))
        self.batcher = (store as? any TaskStoreBatchCompleting).map { CompletionBatcher(store: $0) }
        self.flowStore = store as? any TaskStoreFlowControl
        self.hasWorkflows = store is any TaskStoreWorkflows
    }

    /// Registers the handler for tasks of `type`, replacing any earlier one.
    ///
    /// Handlers may be registered before or while the service runs; the pool claims only the
    /// types that have a handler here.
    /// - Parameters:
    ///   - type: the task type, e.g. `"email"`.
    ///   - handler: runs one attempt of a task; its return value is stored as the result.
    public func register(_ type: String, handler: @escaping TaskHandler) {
        handlers.withLock {
            $0.byType[type] = handler
            $0.types.insert(type)
        }
        poolWake.signal()
    }

    /// How many slots run a handler now (of ``WorkerConfiguration/concurrency``).
    public var busySlots: Int { book.withLock { $0.running.count } }

    /// The task types this service has handlers for.
    public var handledTypes: Set<String> { handlers.withLock { $0.types } }

    /// Task types with pending or retrying tasks that no handler of this service serves, with how
    /// many tasks wait. (Another process sharing the store may serve them.)
    /// - Throws: the store's error.
    public func unhandledTaskTypes() async throws(TaskCoreError) -> [String: Int] {
        let stats = try await store.stats()
        let handled = handledTypes
        var result: [String: Int] = [:]
        for (type, counts) in stats.byType where !handled.contains(type) {
            let waiting = counts[.pending] + counts[.retrying]
            if waiting > 0 { result[type] = waiting }
        }
        return result
    }

    /// Asks a running service to stop: no new claims; running handlers get
    /// ``WorkerConfiguration/shutdownGracePeriod`` to finish, then are cancelled and their tasks
    /// released back to pending; then ``run()`` returns. Safe to call from anywhere, more than once.
    public func shutdown() {
        let running = lifecycle.withLock { state -> Bool in
            guard state == .running else { return state == .stopping }
            state = .stopping
            return true
        }
        if running { stopWake.signal() }
    }
}
