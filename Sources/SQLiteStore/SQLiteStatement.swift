import CSQLite
import TaskCore

/// SQLite's "copy the bytes now" destructor, for binding Swift strings whose storage is temporary.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared statement: binding parameters by position (never splicing values into SQL), stepping
/// and reading columns.
///
/// Owned and cached by one ``SQLiteConnection``; used under its lock only.
final class SQLiteStatement {
    private var raw: OpaquePointer?
    private unowned let connection: SQLiteConnection
    /// Set for statements beyond the cache limit: finalized by ``finish()``.
    var finalizeAfterUse = false

    init(_ raw: OpaquePointer, connection: SQLiteConnection) {
        self.raw = raw
        self.connection = connection
    }

    deinit { finalize() }

    func finalize() {
        if let raw { sqlite3_finalize(raw) }
        raw = nil
    }

    /// Resets the statement for another run and clears its bindings.
    func reset() {
        sqlite3_reset(raw)
        sqlite3_clear_bindings(raw)
    }

    /// Ends a run: resets the statement (releasing its read snapshot) or finalizes an uncached one.
    func finish() {
        if finalizeAfterUse { finalize() } else { sqlite3_reset(raw) }
    }

    // MARK: Binding (1-based positions)

    @discardableResult
    func bind(_ index: Int32, _ value: Int64?) -> SQLiteStatement {
        if let value { sqlite3_bind_int64(raw, index, value) } else { sqlite3_bind_null(raw, index) }
        return self
    }

    @discardableResult
    func bind(_ index: Int32, _ value: Int?) -> SQLiteStatement {
        bind(index, value.map(Int64.init))
    }

    @discardableResult
    func bind(_ index: Int32, _ value: Double?) -> SQLiteStatement {
        if let value { sqlite3_bind_double(raw, index, value) } else { sqlite3_bind_null(raw, index) }
        return self
    }

    @discardableResult
    func bind(_ index: Int32, _ value: String?) -> SQLiteStatement {
        if let value {
            var value = value
            value.withUTF8 { bytes in
                _ = bytes.withMemoryRebound(to: CChar.self) { chars in
                    sqlite3_bind_text(raw, index, chars.baseAddress, Int32(chars.count), sqliteTransient)
                }
            }
        } else {
            sqlite3_bind_null(raw, index)
        }
        return self
    }

    // MARK: Stepping

    /// Steps once: `true` when a row is available, `false` when done.
    /// - Throws: `storageFailure`.
    func step() throws(TaskCoreError) -> Bool {
        let rc = sqlite3_step(raw)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = connection.failure(rc, doing: sqlite3_sql(raw).map { String(cString: $0) })
            sqlite3_reset(raw)
            throw error
        }
    }

    /// Runs a statement that returns no rows.
    /// - Throws: `storageFailure`.
    func run() throws(TaskCoreError) {
        defer { finish() }
        while try step() {}
    }

    /// Runs the statement and maps each row.
    /// - Throws: `storageFailure`, or what `map` throws.
    func rows<R>(_ map: (SQLiteStatement) throws(TaskCoreError) -> R) throws(TaskCoreError) -> [R] {
        defer { finish() }
        var result: [R] = []
        while try step() { result.append(try map(self)) }
        return result
    }

    /// Runs the statement and maps its first row, if any.
    /// - Throws: `storageFailure`, or what `map` throws.
    func firstRow<R>(_ map: (SQLiteStatement) throws(TaskCoreError) -> R) throws(TaskCoreError) -> R? {
        defer { finish() }
        guard try step() else { return nil }
        return try map(self)
    }

    // MARK: Columns (0-based positions)

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(raw, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(raw, column) }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(raw, column)) }

    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }

    func double(_ column: Int32) -> Double { sqlite3_column_double(raw, column) }

    func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(raw, column) else { return "" }
        let count = Int(sqlite3_column_bytes(raw, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    func optionalString(_ column: Int32) -> String? { isNull(column) ? nil : string(column) }
}
