import Foundation
import SQLiteStore
import TaskCore

extension StoreFactory {
    /// The SQLite store, on a fresh database file in the temporary directory per test.
    static let sqlite = StoreFactory(
        name: "sqlite",
        make: { options in
            let path = FileManager.default.temporaryDirectory
                .appendingPathComponent("conformance-\(UUID().uuidString).sqlite").path
            return try SQLiteTaskStore(
                path: path,
                configuration: SQLiteConfiguration(
                    maxLogLinesPerTask: options.maxLogLinesPerTask, maxLogBytesPerTask: options.maxLogBytesPerTask))
        },
        cleanup: { store in
            guard let store = store as? SQLiteTaskStore else { return }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store.path + suffix) }
        })
}
