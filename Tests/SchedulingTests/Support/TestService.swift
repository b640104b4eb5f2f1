import Foundation
import Scheduling
import Synchronization
import Testing
import TaskCore

/// A service on a manual clock and an in-memory store, with an event collector.
struct TestService {
    let store: any TaskStore
    let clock: ManualClock
    let events: EventCollector
    let service: WorkerService

    /// Sleepers the idle service parks on the clock: the claimer's wait, the maintenance loop and
    /// (with the scheduler on) the cron loop.
    var idleSleepers: Int { service.configuration.runsScheduler ? 3 : 2 }

    init(
        store: any TaskStore = InMemoryTaskStore(), clock: ManualClock = ManualClock(),
        events: EventCollector = EventCollector(), configure: (inout WorkerConfiguration) -> Void = { _ in }
    ) {
        self.store = store
        self.clock = clock
        self.events = events
        var configuration = WorkerConfiguration(
            concurrency: 2, backoff: RetryBackoff(base: .seconds(1), factor: 2, cap: .seconds(60), jitter: .none),
            shutdownGracePeriod: .zero)
        configure(&configuration)
        service = WorkerService(store: store, configuration: configuration, clock: clock, events: events.sink)
    }

    /// Runs the service around `body`, then shuts it down and waits for `run()` to return.
    func running(_ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            do {
                try await body()
            } catch {
                service.shutdown()
                try await group.waitForAll()
                throw error
            }
            service.shutdown()
            try await group.waitForAll()
        }
    }

    /// Waits until the service is idle on the clock (plus `extra` sleepers, e.g. handlers).
    func settle(extra: Int = 0) async {
        await clock.waitForSleepers(idleSleepers + extra)
    }

    func create(_ type: String = "echo", payload: JSONValue = [:], configure: (inout NewTask) -> Void = { _ in })
        async throws -> TaskRecord
    {
        var draft = NewTask(type: type, payload: payload)
        configure(&draft)
        return try await service.createTask(draft).task
    }
}

/// A flag a handler can wait on and a test can raise.
final class Gate: Sendable {
    private let signal = AsyncStream<Void>.makeStream()

    func open() { signal.continuation.yield() }

    func wait() async {
        for await _ in signal.stream { return }
    }
}

/// A value several tasks update.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    var value: Value { mutex.withLock { $0 } }
    func update<R: Sendable>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}
