public import Foundation
public import TaskCore

extension PostgresTaskStore: TaskStoreClock {
    /// The server's clock (`clock_timestamp()`, to the microsecond).
    public func storeTime() async throws(TaskCoreError) -> Date {
        let rows = try await query("SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS t")
        guard let micros = rows[0].int64("t") else {
            throw TaskCoreError(code: .storageFailure, message: "PostgreSQL: clock_timestamp() returned no value")
        }
        return Date(timeIntervalSince1970: Double(micros) / 1_000_000)
    }
}
