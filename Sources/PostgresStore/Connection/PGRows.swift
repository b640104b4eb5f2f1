import CPostgreSQL
import Foundation
import TaskCore

/// The rows of one statement's result, read by column name.
///
/// `@unchecked Sendable`: the underlying `PGresult` is immutable once returned and freed only in deinit.
final class PGRows: @unchecked Sendable {
    private let result: OpaquePointer
    let count: Int
    private let columns: [String: Int32]

    init(result: OpaquePointer) {
        self.result = result
        self.count = Int(PQntuples(result))
        var columns: [String: Int32] = [:]
        for index in 0..<PQnfields(result) {
            columns[String(cString: PQfname(result, index))] = index
        }
        self.columns = columns
    }

    deinit { PQclear(result) }

    /// Rows affected by an UPDATE/DELETE/INSERT without RETURNING.
    var affected: Int { Int(String(cString: PQcmdTuples(result))) ?? 0 }

    subscript(row: Int) -> PGRow { PGRow(rows: self, index: Int32(row)) }

    fileprivate func text(_ row: Int32, _ column: String) -> String? {
        guard let field = columns[column], PQgetisnull(result, row, field) == 0 else { return nil }
        return String(cString: PQgetvalue(result, row, field))
    }
}

/// One row of a ``PGRows``.
struct PGRow {
    fileprivate let rows: PGRows
    fileprivate let index: Int32

    func string(_ column: String) -> String? { rows.text(index, column) }
    func int(_ column: String) -> Int? { string(column).flatMap { Int($0) } }
    func int64(_ column: String) -> Int64? { string(column).flatMap { Int64($0) } }
    func bool(_ column: String) -> Bool { string(column) == "t" }
    func time(_ column: String) -> Date? { int64(column).map(PGTime.date) }
}
