public import Foundation
import TaskCore

/// One audited request: who changed (or tried to change) what, and how it ended.
public struct AuditRecord: Sendable, Hashable {
    /// When the answer was sent.
    public var time: Date
    /// The caller's role; `nil` without access control, or when the request was refused with 401.
    public var role: AccessRole?
    /// The method (`POST`).
    public var method: String
    /// The path without the query (the query is never audited: it may hold `access_token`).
    public var path: String
    /// For a GraphQL mutation, its root field names (`["createTask"]`); `nil` otherwise.
    public var fields: [String]?
    /// The status answered.
    public var status: Int

    /// Creates a record.
    public init(time: Date, role: AccessRole?, method: String, path: String, fields: [String]?, status: Int) {
        self.time = time
        self.role = role
        self.method = method
        self.path = path
        self.fields = fields
        self.status = status
    }

    /// The record as one line of JSON (no newline):
    /// `{"audit":true,"time":"…","role":"write","method":"POST","path":"/api/tasks","status":201}`,
    /// with `"fields":["createTask"]` for a GraphQL mutation.
    public var jsonLine: String {
        var writer = JSONWriter(capacity: 160)
        writer.raw("{\"audit\":true,\"time\":")
        writer.string(Timestamp.format(time))
        writer.raw(",\"role\":")
        if let role { writer.string(role.rawValue) } else { writer.raw("null") }
        writer.raw(",\"method\":")
        writer.string(method)
        writer.raw(",\"path\":")
        writer.string(path.utf8.count <= 2048 ? path : String(path.prefix(2048)) + "…")
        if let fields {
            writer.raw(",\"fields\":[")
            for (index, field) in fields.enumerated() {
                if index > 0 { writer.raw(",") }
                writer.string(field)
            }
            writer.raw("]")
        }
        writer.raw(",\"status\":")
        writer.integer(status)
        writer.raw("}")
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

/// Where audit records go: a function called once per audited request.
///
/// Audited: every changing request (REST `POST`, `PATCH`, `DELETE`; GraphQL mutations) and every
/// request refused with 401 or 403, whatever its method. Never a token or a query string.
public struct AuditLog: Sendable {
    /// Receives each record.
    public let write: @Sendable (AuditRecord) -> Void
    /// The clock records are stamped with.
    public let now: @Sendable () -> Date

    /// Creates a log.
    /// - Parameters:
    ///   - now: the clock (default the system clock).
    ///   - write: called once per record, from any thread.
    public init(now: @escaping @Sendable () -> Date = { Date() }, write: @escaping @Sendable (AuditRecord) -> Void) {
        self.now = now
        self.write = write
    }

    /// One JSON line per record on the process's standard error (``AuditRecord/jsonLine``).
    public static let standardError = AuditLog { record in
        FileHandle.standardError.write(Data((record.jsonLine + "\n").utf8))
    }
}
