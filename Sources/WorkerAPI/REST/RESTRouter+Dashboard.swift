import Foundation
import TaskCore

/// The endpoints the dashboard needs beyond section 2: cron previews and the throughput series
/// (API.md section 8).
extension RESTRouter {
    /// The `count` of the cron previews.
    static let cronPreviewCountRange: ClosedRange<Int> = 1...100

    /// `GET /api/cron/next?expr=EXPR&tz=ZONE&count=N&from=ISO`: `{"expr", "timezone", "next": [...]}`.
    /// - Throws: `invalidArgument` for a missing `expr`, a bad `count`, `from` or zone; `invalidCron`.
    func cronNext(_ request: RESTRequest) throws(TaskCoreError) -> RESTResponse {
        let query = RESTQuery(request.query)
        guard let expression = query.last("expr"), !expression.isEmpty else {
            throw .invalidArgument("expr", "expr: required, a cron expression such as '0 9 * * MON-FRI'")
        }
        let zone = query.last("tz").flatMap { $0.isEmpty ? nil : $0 } ?? "UTC"
        let count = try query.integer("count", default: 5, in: Self.cronPreviewCountRange)
        var from = options.now()
        if let text = query.last("from"), !text.isEmpty {
            guard let date = Timestamp.parse(text) else {
                throw .invalidArgument(
                    "from", "from: '\(text)' is not an ISO 8601 instant such as 2026-03-08T00:00:00.000Z")
            }
            from = date
        }
        let schedule: JobSchedule
        do {
            schedule = try JobSchedule(schedule: expression, timezone: zone)
        } catch where error.field == "timezone" {
            throw .invalidArgument("tz", "tz" + error.message.dropFirst("timezone".count))
        } catch where error.field == "schedule" && error.message.hasPrefix("schedule:") {
            throw TaskCoreError(code: error.code, message: "expr" + error.message.dropFirst("schedule".count), field: "expr")
        }
        var writer = JSONWriter(capacity: 96 + count * 32 + expression.utf8.count)
        writer.raw("{\"expr\":")
        writer.string(expression)
        writer.raw(",\"timezone\":")
        writer.string(zone)
        writer.raw(",\"next\":")
        writer.fireTimes(schedule, after: from, count: count)
        writer.raw("}")
        return .json(200, writer)
    }

    /// `GET /api/jobs/{id}/next?count=N`: `{"jobId", "next": [...]}` from now; empty when paused.
    /// - Throws: `notFound`; `invalidArgument` for a bad `count`.
    func jobNext(_ id: JobID, _ request: RESTRequest) async throws(TaskCoreError) -> RESTResponse {
        let count = try RESTQuery(request.query).integer("count", default: 5, in: Self.cronPreviewCountRange)
        let job = try await backend.job(id)
        var writer = JSONWriter(capacity: 64 + count * 32)
        writer.raw("{\"jobId\":")
        writer.string(String(id.rawValue))
        writer.raw(",\"next\":")
        if job.status == .paused {
            writer.raw("[]")
        } else {
            let schedule = try JobSchedule(schedule: job.schedule, timezone: job.timezone)
            writer.fireTimes(schedule, after: options.now(), count: count)
        }
        writer.raw("}")
        return .json(200, writer)
    }

    /// `GET /api/tasks/stats/timeseries?minutes=60&bucketSeconds=60`:
    /// `{"bucketSeconds", "buckets": [{"start", "created", "completed", "failed", "avgDurationMs"}]}`.
    /// - Throws: `invalidArgument` naming `minutes` or `bucketSeconds`; the backend's errors.
    func taskTimeseries(_ request: RESTRequest) async throws(TaskCoreError) -> RESTResponse {
        let query = RESTQuery(request.query)
        let minutes = try query.integer("minutes", default: 60, in: TimeseriesWindow.minutesRange)
        let bucketSeconds = try query.integer("bucketSeconds", default: 60, in: TimeseriesWindow.bucketSecondsRange)
        let series = try await backend.taskTimeseries(minutes: minutes, bucketSeconds: bucketSeconds)
        var writer = JSONWriter(capacity: 48 + series.buckets.count * 112)
        writer.raw("{\"bucketSeconds\":")
        writer.integer(series.bucketSeconds)
        writer.raw(",\"buckets\":[")
        for (position, bucket) in series.buckets.enumerated() {
            if position > 0 { writer.raw(",") }
            writer.raw("{\"start\":")
            writer.timestamp(bucket.start)
            writer.raw(",\"created\":")
            writer.integer(bucket.created)
            writer.raw(",\"completed\":")
            writer.integer(bucket.completed)
            writer.raw(",\"failed\":")
            writer.integer(bucket.failed)
            writer.raw(",\"avgDurationMs\":")
            if let average = bucket.averageDurationMilliseconds {
                writer.double((average * 10).rounded() / 10)
            } else {
                writer.null()
            }
            writer.raw("}")
        }
        writer.raw("]}")
        return .json(200, writer)
    }
}

extension JSONWriter {
    /// `["...", ...]`: up to `count` fire times of `schedule` strictly after `date`.
    mutating func fireTimes(_ schedule: JobSchedule, after date: Date, count: Int) {
        raw("[")
        for (position, fire) in schedule.expression.fireTimes(after: date, in: schedule.timeZone).prefix(count)
            .enumerated()
        {
            if position > 0 { raw(",") }
            timestamp(fire)
        }
        raw("]")
    }
}
