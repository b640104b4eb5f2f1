import Foundation
import PostgresStore
import SQLiteStore
import TaskCore

/// Builds the task store named by `--store` / `WORKER_STORE`.
enum StoreFactory {
    /// A store and the kind `GET /health` reports.
    struct Made {
        var store: any TaskStore
        var kind: String
        var location: String
    }

    /// Opens the store `spec` names: `memory`, `sqlite:PATH` (the directory is created), or
    /// `postgres://...` / `postgresql://...`.
    /// - Throws: ``Options/UsageError`` for an unknown spec; the store's own error when it cannot open.
    static func make(_ spec: String) async throws -> Made {
        if spec == "memory" {
            return Made(store: InMemoryTaskStore(), kind: "memory", location: "memory")
        }
        if spec.hasPrefix("sqlite:") {
            let path = String(spec.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw Options.UsageError(message: "--store sqlite:PATH needs a path") }
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                do {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                } catch {
                    throw TaskCoreError(
                        code: .storageFailure,
                        message: "SQLite: cannot create the folder '\(directory)' for the database file '\(path)'")
                }
            }
            return Made(store: try SQLiteTaskStore(path: path), kind: "sqlite", location: path)
        }
        if spec.hasPrefix("postgres://") || spec.hasPrefix("postgresql://") {
            return Made(store: try await PostgresTaskStore.connect(url: spec), kind: "postgres", location: redacted(spec))
        }
        throw Options.UsageError(
            message: "--store '\(spec)': expected memory, sqlite:PATH or postgres://user@host/db")
    }

    /// A connection URL without its password, for messages.
    static func redacted(_ spec: String) -> String {
        guard var components = URLComponents(string: spec), components.password != nil else { return spec }
        components.password = "***"
        return components.string ?? spec
    }
}
