import CPostgreSQL
import Foundation
import TaskCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One libpq connection. Not thread-safe: the pool hands it to one caller at a time.
///
/// `@unchecked Sendable` because ownership moves between threads through
/// ``PGConnectionPool``, which guarantees exclusive use while a connection is checked out.
final class PGConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    let url: String
    /// The statements prepared on this connection, by SQL text: parsing and planning happen once
    /// per connection instead of once per call (planning a CTE costs more than running it).
    private var prepared: [String: String] = [:]

    /// Opens a connection.
    /// - Throws: `storageFailure` with libpq's message.
    init(url: String) throws(TaskCoreError) {
        self.url = url
        handle = PQconnectdb(url)
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            let message = handle.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            if let handle { PQfinish(handle) }
            self.handle = nil
            throw TaskCoreError(
                code: .storageFailure,
                message: "PostgreSQL: cannot connect: \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        // Quiet NOTICEs (e.g. "relation already exists, skipping") instead of printing them on stderr.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit {
        if let handle { PQfinish(handle) }
    }

    /// Whether the connection is usable.
    var isHealthy: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Whether a connection that sat idle in the pool is still open, found without a round trip.
    ///
    /// libpq reports a connection the server closed (`pg_terminate_backend`, a server restart) as
    /// healthy until a statement fails on it; an idle session, though, has nothing to read, so a
    /// readable socket means the server wrote to it since its last statement. That input is read
    /// without blocking (TLS records and parameter reports are absorbed by libpq); after a FATAL
    /// message the close follows at once, so a few milliseconds are given for it to arrive. The
    /// connection is usable unless libpq found the end of the stream.
    var isOpenWhenIdle: Bool {
        guard let handle, PQstatus(handle) == CONNECTION_OK else { return false }
        let descriptor = PQsocket(handle)
        guard descriptor >= 0 else { return false }
        var wait: Int32 = 0
        for _ in 0..<4 {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, wait) > 0 else { return true }
            guard PQconsumeInput(handle) == 1, PQstatus(handle) == CONNECTION_OK else { return false }
            wait = 5
        }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Tries to re-establish a broken connection.
    func reset() {
        guard let handle else { return }
        PQreset(handle)
        prepared = [:]  // a new session knows none of them
    }

    /// The socket, for waiting on notifications.
    var socket: Int32 { handle.map { PQsocket($0) } ?? -1 }

    /// Runs one statement with bound text parameters (never spliced into the SQL).
    /// - Returns: the rows, empty for statements that return none.
    /// - Throws: `storageFailure` with the server's message; a unique violation has field `unique_violation`.
    @discardableResult
    func execute(_ sql: String, _ parameters: [PGParameter] = []) throws(TaskCoreError) -> PGRows {
        guard let handle else {
            throw TaskCoreError(code: .storageFailure, message: "PostgreSQL: connection is closed")
        }
        let name = try preparedName(for: sql, parameterCount: parameters.count, handle: handle)
        let texts: [String?] = parameters.map(\.text)
        let result: OpaquePointer? = withCStrings(texts) { pointers in
            PQexecPrepared(handle, name, Int32(pointers.count), pointers, nil, nil, 0)
        }
        guard let result else {
            throw TaskCoreError(
                code: .storageFailure, message: "PostgreSQL: \(String(cString: PQerrorMessage(handle)))")
        }
        let status = PQresultStatus(result)
        if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK {
            return PGRows(result: result)
        }
        let message = String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
        let sqlState = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
        PQclear(result)
        throw TaskCoreError(code: .storageFailure, message: "PostgreSQL: \(message)", field: sqlState)
    }

    /// The name of the prepared statement for `sql`, preparing it on first use.
    private func preparedName(for sql: String, parameterCount: Int, handle: OpaquePointer) throws(TaskCoreError)
        -> String
    {
        if let name = prepared[sql] { return name }
        let name = "s\(prepared.count)"
        guard let result = PQprepare(handle, name, sql, Int32(parameterCount), nil) else {
            throw TaskCoreError(
                code: .storageFailure, message: "PostgreSQL: \(String(cString: PQerrorMessage(handle)))")
        }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else {
            let message = String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
            throw TaskCoreError(code: .storageFailure, message: "PostgreSQL: \(message)")
        }
        prepared[sql] = name
        return name
    }

    /// Runs one or more statements without parameters in one round trip (`BEGIN; SET LOCAL ...`).
    /// - Throws: `storageFailure` with the server's message.
    func executeSimple(_ sql: String) throws(TaskCoreError) {
        guard let handle else {
            throw TaskCoreError(code: .storageFailure, message: "PostgreSQL: connection is closed")
        }
        guard let result = PQexec(handle, sql) else {
            throw TaskCoreError(
                code: .storageFailure, message: "PostgreSQL: \(String(cString: PQerrorMessage(handle)))")
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let message = String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
            throw TaskCoreError(code: .storageFailure, message: "PostgreSQL: \(message)")
        }
    }

    /// Reads pending notifications without blocking.
    /// - Returns: the channels notified since the last call; `nil` if the connection broke.
    func drainNotifications() -> [String]? {
        guard let handle, PQconsumeInput(handle) == 1 else { return nil }
        var channels: [String] = []
        while let notify = PQnotifies(handle) {
            channels.append(String(cString: notify.pointee.relname))
            PQfreemem(notify)
        }
        return channels
    }

    /// Reads pending notifications with their payloads without blocking.
    /// - Returns: `(channel, payload)` pairs since the last call; `nil` if the connection broke.
    func drainNotificationPayloads() -> [(channel: String, payload: String)]? {
        guard let handle, PQconsumeInput(handle) == 1 else { return nil }
        var received: [(channel: String, payload: String)] = []
        while let notify = PQnotifies(handle) {
            received.append((String(cString: notify.pointee.relname), String(cString: notify.pointee.extra)))
            PQfreemem(notify)
        }
        return received
    }
}

/// A statement parameter, sent as text and cast by the SQL where needed (`$1::bigint`).
struct PGParameter: Sendable {
    let text: String?

    static let null = PGParameter(text: nil)
    static func string(_ value: String?) -> PGParameter { PGParameter(text: value) }
    static func int(_ value: Int?) -> PGParameter { PGParameter(text: value.map { String($0) }) }
    static func int64(_ value: Int64?) -> PGParameter { PGParameter(text: value.map { String($0) }) }
    static func bool(_ value: Bool) -> PGParameter { PGParameter(text: value ? "t" : "f") }
    /// A time as milliseconds since 1970, the form the tables keep.
    static func time(_ value: Date?) -> PGParameter {
        PGParameter(text: value.map { String(PGTime.milliseconds($0)) })
    }
    /// An array literal of numbers or NULLs (`{1,NULL,3}`).
    static func array(_ values: [String?]) -> PGParameter {
        PGParameter(text: "{" + values.map { $0 ?? "NULL" }.joined(separator: ",") + "}")
    }
    /// A text array literal (`{"a","b"}`), quoted safely.
    static func stringArray(_ values: some Sequence<String>) -> PGParameter {
        let quoted = values.map { value -> String in
            var escaped = "\""
            for character in value.unicodeScalars {
                if character == "\"" || character == "\\" { escaped.unicodeScalars.append("\\") }
                escaped.unicodeScalars.append(character)
            }
            return escaped + "\""
        }
        return PGParameter(text: "{" + quoted.joined(separator: ",") + "}")
    }
}

/// Conversions between `Date` and the tables' millisecond integers.
enum PGTime {
    static func milliseconds(_ date: Date) -> Int64 {
        date.storeMilliseconds
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}

/// Calls `body` with C string pointers for `strings` (NULL for nil), valid during the call.
private func withCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0) } ?? nil }
    defer { for pointer in pointers { free(pointer) } }
    return pointers.withUnsafeMutableBufferPointer { buffer in
        body(buffer.map { UnsafePointer($0) })
    }
}
