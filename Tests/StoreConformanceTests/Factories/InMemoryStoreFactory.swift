import TaskCore

extension StoreFactory {
    /// The in-memory store.
    static let inMemory = StoreFactory(name: "in-memory") { options in
        InMemoryTaskStore(
            configuration: InMemoryTaskStore.Configuration(
                maxLogLinesPerTask: options.maxLogLinesPerTask, maxLogBytesPerTask: options.maxLogBytesPerTask))
    }
}
