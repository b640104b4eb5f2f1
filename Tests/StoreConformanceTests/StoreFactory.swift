import TaskCore

/// Options a conformance test may ask of a store; every store must honour them.
struct StoreOptions: Sendable {
    /// Log lines kept per task before the oldest are dropped.
    var maxLogLinesPerTask = 1000
    /// Log message bytes kept per task before the oldest lines are dropped.
    var maxLogBytesPerTask = 1 << 20
}

/// How the conformance suite makes a fresh, empty store of one implementation.
///
/// To run the suite against another store, add a file under `Factories/` that defines one
/// `StoreFactory` (see `InMemoryStoreFactory.swift`) and list it in `AllStoreFactories.swift`.
/// Every `@Test(arguments: allStoreFactories)` then runs once per store.
struct StoreFactory: Sendable, CustomStringConvertible {
    /// The name shown in test output ("in-memory", "sqlite", "postgres").
    var name: String
    /// Makes a fresh, empty store (a new database file, schema or instance).
    var make: @Sendable (StoreOptions) async throws -> any TaskStore
    /// Releases what `make` created (files, schemas); called after each test, even a failing one.
    var cleanup: @Sendable (any TaskStore) async throws -> Void = { _ in }

    var description: String { name }

    /// Runs `body` with a fresh store and cleans up afterwards.
    func withStore(
        _ options: StoreOptions = StoreOptions(), _ body: (any TaskStore) async throws -> Void
    ) async throws {
        let store = try await make(options)
        do {
            try await body(store)
            try await cleanup(store)
        } catch {
            try? await cleanup(store)
            throw error
        }
    }
}
