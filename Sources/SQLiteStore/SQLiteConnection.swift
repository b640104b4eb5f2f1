import CSQLite
import TaskCore

/// One open SQLite database handle with a cache of prepared statements.
///
/// Not thread-safe on its own: ``SQLiteTaskStore`` keeps it inside a `Mutex`, so exactly one thread
/// uses it at a time.
final class SQLiteConnection {
    private(set) var handle: OpaquePointer?
    private var statements: [String: SQLiteStatement] = [:]
    /// The path, for error messages.
    let path: String

    /// The most statements kept prepared; dynamic SQL (IN lists of varying length) beyond it is
    /// finalized after use.
    static let statementCacheLimit = 256

    /// Opens (creating if needed) the database at `path`.
    /// - Throws: `storageFailure` naming the path and SQLite's reason.
    init(path: String, readOnly: Bool = false) throws(TaskCoreError) {
        self.path = path
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        handle = db
        if rc != SQLITE_OK {
            let reason = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            close()
            throw Self.openError(path: path, code: rc, reason: reason)
        }
        sqlite3_extended_result_codes(db, 1)
    }

    deinit { close() }

    /// Finalizes every statement and closes the handle. Safe to call twice.
    func close() {
        for statement in statements.values { statement.finalize() }
        statements.removeAll()
        if let handle {
            sqlite3_close_v2(handle)
            self.handle = nil
        }
    }

    /// Runs one or more statements that take no parameters (schema, pragmas, BEGIN/COMMIT).
    /// - Throws: `storageFailure`.
    func execute(_ sql: String) throws(TaskCoreError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let reason = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(message)
            throw failure(rc, reason: reason, doing: sql)
        }
    }

    /// A prepared statement for `sql`, reset and with its bindings cleared, from the cache when it
    /// was prepared before.
    /// - Throws: `storageFailure`.
    func statement(_ sql: String) throws(TaskCoreError) -> SQLiteStatement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        var raw: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard rc == SQLITE_OK, let raw else {
            throw failure(rc, reason: lastMessage, doing: sql)
        }
        let statement = SQLiteStatement(raw, connection: self)
        if statements.count < Self.statementCacheLimit {
            statements[sql] = statement
        } else {
            statement.finalizeAfterUse = true
        }
        return statement
    }

    /// Runs `body` inside `BEGIN IMMEDIATE` ... `COMMIT`, rolling back when it throws.
    ///
    /// `BEGIN IMMEDIATE` takes the write lock up front, so a transaction never fails half-way with
    /// `SQLITE_BUSY` because another process wrote first; waiting for the lock is bounded by the
    /// busy timeout.
    /// - Throws: whatever `body` throws, or `storageFailure`.
    func transaction<R>(_ body: () throws(TaskCoreError) -> R) throws(TaskCoreError) -> R {
        try statement("BEGIN IMMEDIATE").run()
        do {
            let result = try body()
            try statement("COMMIT").run()
            return result
        } catch {
            if sqlite3_get_autocommit(handle) == 0 {
                try? statement("ROLLBACK").run()
            }
            throw error
        }
    }

    /// Runs `body` inside a read transaction (`BEGIN` ... `COMMIT`), so that its statements see one
    /// snapshot of the database.
    /// - Throws: whatever `body` throws, or `storageFailure`.
    func readTransaction<R>(_ body: () throws(TaskCoreError) -> R) throws(TaskCoreError) -> R {
        // Inside the group-commit write transaction, the reads already see one snapshot.
        guard isAutocommit else { return try body() }
        try statement("BEGIN").run()
        defer { if sqlite3_get_autocommit(handle) == 0 { try? statement("COMMIT").run() } }
        return try body()
    }

    /// Whether no transaction is open.
    var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    /// The rowid of the last inserted row.
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last statement.
    var changes: Int { Int(sqlite3_changes(handle)) }

    /// SQLite's message for the last error on this connection.
    var lastMessage: String { handle.map { String(cString: sqlite3_errmsg($0)) } ?? "database is closed" }

    /// A `storageFailure` for a failed call, with a hint for the common causes.
    func failure(_ code: Int32, reason: String? = nil, doing sql: String? = nil) -> TaskCoreError {
        let reason = reason ?? lastMessage
        var message = "SQLite database \(path): \(reason)"
        switch code & 0xff {
        case SQLITE_BUSY, SQLITE_LOCKED:
            message += " (another process held the write lock for longer than the busy timeout)"
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            message += " (the file is corrupt or not a SQLite database)"
        case SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM:
            message += " (check that the file and its directory are writable)"
        case SQLITE_FULL:
            message += " (the disk is full)"
        default:
            break
        }
        let primary = code & 0xff
        if let sql, primary != SQLITE_BUSY, primary != SQLITE_NOTADB, primary != SQLITE_CORRUPT {
            message += " [while running: \(sql.prefix(120))]"
        }
        return TaskCoreError(code: .storageFailure, message: message)
    }

    private static func openError(path: String, code: Int32, reason: String) -> TaskCoreError {
        TaskCoreError(
            code: .storageFailure,
            message: "Cannot open SQLite database \(path): \(reason) (check that the directory exists and is writable)")
    }
}

/// Whether the main database of `connection` is open read-only.
func sqlite3DatabaseIsReadOnly(_ connection: SQLiteConnection) -> Bool {
    sqlite3_db_readonly(connection.handle, "main") == 1
}
