import Foundation
import Glibc
@testable import SQLiteStore
import TaskCore
import Testing

@Suite struct SQLiteTaskStoreOpeningTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func newDatabaseGetsTheCurrentSchemaVersionAndWALMode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteTaskStore(path: directory.path("tasks.sqlite"))
        let (version, mode, synchronous) = try store.withConnection { (db) throws(TaskCoreError) in
            (
                try SQLiteSchema.userVersion(db),
                try db.statement("PRAGMA journal_mode").firstRow { $0.string(0) },
                try db.statement("PRAGMA synchronous").firstRow { $0.int(0) }
            )
        }
        #expect(version == SQLiteTaskStore.schemaVersion)
        #expect(mode == "wal")
        #expect(synchronous == 1)  // NORMAL
    }

    @Test func synchronousFullIsApplied() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteTaskStore(
            path: directory.path("tasks.sqlite"), configuration: SQLiteConfiguration(synchronous: .full))
        let synchronous = try store.withConnection { (db) throws(TaskCoreError) in
            try db.statement("PRAGMA synchronous").firstRow { $0.int(0) }
        }
        #expect(synchronous == 2)  // FULL
    }

    @Test func fileOfGarbageBytesIsRefusedWithAClearError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("garbage.sqlite")
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: TaskCoreError.self) { try SQLiteTaskStore(path: path) }
        #expect(error?.code == .storageFailure)
        #expect(error?.message.contains(path) == true)
        #expect(error?.message.contains("not a database") == true)
    }

    @Test func missingDirectoryIsRefusedWithAClearError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("no-such-dir/tasks.sqlite")
        let error = #expect(throws: TaskCoreError.self) { try SQLiteTaskStore(path: path) }
        #expect(error?.code == .storageFailure)
        #expect(error?.message.contains(path) == true)
        #expect(error?.message.contains("writable") == true)
    }

    @Test func pathUnderARegularFileIsRefusedWithAClearError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: directory.path("file")))
        let path = directory.path("file/tasks.sqlite")
        let error = #expect(throws: TaskCoreError.self) { try SQLiteTaskStore(path: path) }
        #expect(error?.code == .storageFailure)
        #expect(error?.message.contains("Cannot open SQLite database") == true)
    }

    /// Root may write anywhere, so this one only runs as an ordinary user.
    @Test(.enabled(if: geteuid() != 0, "root ignores directory permissions"))
    func unwritableDirectoryIsRefusedWithAClearError() throws {
        let directory = try TemporaryDirectory()
        defer {
            chmod(directory.url.path, 0o700)
            directory.remove()
        }
        chmod(directory.url.path, 0o500)
        let error = #expect(throws: TaskCoreError.self) { try SQLiteTaskStore(path: directory.path("tasks.sqlite")) }
        #expect(error?.code == .storageFailure)
        #expect(error?.message.contains("writable") == true)
    }

    @Test func databaseOfANewerSchemaVersionIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("tasks.sqlite")
        do {
            let store = try SQLiteTaskStore(path: path)
            try store.withConnection { (db) throws(TaskCoreError) in try db.execute("PRAGMA user_version = 99") }
        }
        let error = #expect(throws: TaskCoreError.self) { try SQLiteTaskStore(path: path) }
        #expect(error?.code == .storageFailure)
        #expect(error?.message.contains("schema version 99") == true)
        #expect(error?.message.contains("newer release") == true)
    }

    @Test(.timeLimit(.minutes(1)))
    func reopeningKeepsTasksJobsLogsAndTheIdSequence() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("tasks.sqlite")
        let first: TaskRecord
        let job: ScheduledJob
        do {
            let store = try SQLiteTaskStore(path: path)
            first = try await store.createTask(NewTask(type: "email", payload: ["to": "a@b.c"]), now: now).task
            job = try await store.createJob(NewJob(name: "Backup", type: "backup", schedule: "0 0 * * *"), now: now)
        }
        let reopened = try SQLiteTaskStore(path: path)
        #expect(try await reopened.task(first.id) == first)
        #expect(try await reopened.job(job.id) == job)
        #expect(try await reopened.logs(first.id, limit: 100).count == 1)
        let second = try await reopened.createTask(NewTask(type: "email"), now: now).task
        #expect(second.id > first.id)
    }

    @Test(.timeLimit(.minutes(1)))
    func migrationIsIdempotentWhenTwoStoresOpenOneFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("tasks.sqlite")
        let a = try SQLiteTaskStore(path: path)
        let b = try SQLiteTaskStore(path: path)
        let created = try await a.createTask(NewTask(type: "email"), now: now).task
        #expect(try await b.task(created.id) == created)
    }
}
