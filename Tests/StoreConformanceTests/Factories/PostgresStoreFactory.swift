import PostgresStore
import TaskCore

extension StoreFactory {
    /// The PostgreSQL store, each instance in a fresh schema of the test server.
    static let postgres = StoreFactory(
        name: "postgres",
        make: { options in
            try await PostgresTaskStore.connect(
                url: PostgresTestServer.freshSchemaURL(),
                configuration: .init(
                    maxConnections: 4, maxLogEntriesPerTask: options.maxLogLinesPerTask,
                    maxLogBytesPerTask: options.maxLogBytesPerTask))
        },
        cleanup: { store in
            (store as? PostgresTaskStore)?.close()
        })
}
