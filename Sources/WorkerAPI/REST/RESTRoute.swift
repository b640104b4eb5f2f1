/// One path template of the REST API (`/api/tasks/{id}`), recognised without allocating.
public enum RESTPath: String, CaseIterable, Hashable, Sendable {
    case health = "/health"
    case metrics = "/metrics"
    case tasks = "/api/tasks"
    case taskStatsSummary = "/api/tasks/stats/summary"
    case task = "/api/tasks/{id}"
    case taskRetry = "/api/tasks/{id}/retry"
    case taskCancel = "/api/tasks/{id}/cancel"
    case taskLogs = "/api/tasks/{id}/logs"
    case jobs = "/api/jobs"
    case job = "/api/jobs/{id}"
    case jobPause = "/api/jobs/{id}/pause"
    case jobResume = "/api/jobs/{id}/resume"
    case jobTrigger = "/api/jobs/{id}/trigger"
    case queues = "/api/queues"
    case queue = "/api/queues/{name}"
    case queuePause = "/api/queues/{name}/pause"
    case queueResume = "/api/queues/{name}/resume"
    case events = "/api/events"
    // Workflows and bulk operations (contract sections 6 and 7).
    case tasksBulk = "/api/tasks/bulk"
    case batches = "/api/batches"
    case batch = "/api/batches/{id}"
    case batchCancel = "/api/batches/{id}/cancel"
    // Dashboard (issue 16): cron previews, the throughput series and the page itself.
    case cronNext = "/api/cron/next"
    case jobNext = "/api/jobs/{id}/next"
    case taskStatsTimeseries = "/api/tasks/stats/timeseries"
    case dashboard = "/dashboard"
    /// The OpenAPI document of this API (`Web/openapi/openapi.json`).
    case openAPI = "/openapi.json"

    /// The template, as written in the OpenAPI document.
    public var template: String { rawValue }

    /// Matches a request path (one trailing slash is ignored) to a template and its `{id}` segment.
    /// Literal segments win over `{id}`: `/api/tasks/stats/summary` is the stats route, never task "stats".
    /// - Returns: `nil` for a path that no template matches.
    public static func match(_ path: String) -> (path: RESTPath, id: Substring?)? {
        // Split on the UTF-8 view: `Substring.split` walks grapheme clusters, which is needlessly
        // slow on the hot path.
        let utf8 = path.utf8
        guard utf8.first == UInt8(ascii: "/") else { return nil }
        var end = utf8.endIndex
        if utf8.count > 1, utf8.last == UInt8(ascii: "/") { end = utf8.index(before: end) }
        var segments: [Substring] = []
        segments.reserveCapacity(4)
        var segmentStart = utf8.index(after: utf8.startIndex)
        var position = segmentStart
        while true {
            if position == end || utf8[position] == UInt8(ascii: "/") {
                guard segments.count < 4, position != segmentStart else { return nil }
                segments.append(path[segmentStart..<position])
                if position == end { break }
                segmentStart = utf8.index(after: position)
            }
            position = utf8.index(after: position)
        }
        func equals(_ segment: Substring, _ literal: StaticString) -> Bool {
            segment.utf8.elementsEqual(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
        }
        switch segments.count {
        case 1:
            if equals(segments[0], "health") { return (.health, nil) }
            if equals(segments[0], "metrics") { return (.metrics, nil) }
            if equals(segments[0], "dashboard") { return (.dashboard, nil) }
            if equals(segments[0], "openapi.json") { return (.openAPI, nil) }
            return nil
        case 2:
            guard equals(segments[0], "api") else { return nil }
            if equals(segments[1], "tasks") { return (.tasks, nil) }
            if equals(segments[1], "jobs") { return (.jobs, nil) }
            if equals(segments[1], "queues") { return (.queues, nil) }
            if equals(segments[1], "events") { return (.events, nil) }
            if equals(segments[1], "batches") { return (.batches, nil) }
            return nil
        case 3:
            guard equals(segments[0], "api") else { return nil }
            if equals(segments[1], "cron") { return equals(segments[2], "next") ? (.cronNext, nil) : nil }
            if equals(segments[1], "tasks") {
                return equals(segments[2], "bulk") ? (.tasksBulk, nil) : (.task, segments[2])
            }
            if equals(segments[1], "jobs") { return (.job, segments[2]) }
            if equals(segments[1], "queues") { return (.queue, segments[2]) }
            if equals(segments[1], "batches") { return (.batch, segments[2]) }
            return nil
        case 4:
            guard equals(segments[0], "api") else { return nil }
            let last = segments[3]
            if equals(segments[1], "tasks") {
                if equals(segments[2], "stats"), equals(last, "summary") { return (.taskStatsSummary, nil) }
                if equals(segments[2], "stats"), equals(last, "timeseries") { return (.taskStatsTimeseries, nil) }
                if equals(last, "retry") { return (.taskRetry, segments[2]) }
                if equals(last, "cancel") { return (.taskCancel, segments[2]) }
                if equals(last, "logs") { return (.taskLogs, segments[2]) }
            } else if equals(segments[1], "jobs") {
                if equals(last, "pause") { return (.jobPause, segments[2]) }
                if equals(last, "resume") { return (.jobResume, segments[2]) }
                if equals(last, "trigger") { return (.jobTrigger, segments[2]) }
                if equals(last, "next") { return (.jobNext, segments[2]) }
            } else if equals(segments[1], "queues") {
                if equals(last, "pause") { return (.queuePause, segments[2]) }
                if equals(last, "resume") { return (.queueResume, segments[2]) }
            } else if equals(segments[1], "batches") {
                if equals(last, "cancel") { return (.batchCancel, segments[2]) }
            }
            return nil
        default:
            return nil
        }
    }
}

/// One endpoint of the REST API: a method on a path template.
public struct RESTRoute: Hashable, Sendable, CustomStringConvertible {
    /// `GET`, `POST`, `PATCH` or `DELETE`.
    public let method: String
    /// The path template.
    public let path: RESTPath

    /// Creates a route.
    public init(_ method: String, _ path: RESTPath) {
        self.method = method
        self.path = path
    }

    public var description: String { "\(method) \(path.template)" }

    /// Every endpoint of API.md section 2, in the contract's order.
    public static let all: [RESTRoute] = [
        RESTRoute("POST", .tasks),
        RESTRoute("GET", .tasks),
        RESTRoute("GET", .task),
        RESTRoute("POST", .taskRetry),
        RESTRoute("POST", .taskCancel),
        RESTRoute("GET", .taskLogs),
        RESTRoute("GET", .taskStatsSummary),
        RESTRoute("POST", .jobs),
        RESTRoute("PATCH", .job),
        RESTRoute("GET", .jobs),
        RESTRoute("GET", .job),
        RESTRoute("POST", .jobPause),
        RESTRoute("POST", .jobResume),
        RESTRoute("POST", .jobTrigger),
        RESTRoute("DELETE", .job),
        RESTRoute("GET", .health),
        RESTRoute("GET", .metrics),
        RESTRoute("GET", .queues),
        RESTRoute("GET", .queue),
        RESTRoute("PATCH", .queue),
        RESTRoute("POST", .queuePause),
        RESTRoute("POST", .queueResume),
        RESTRoute("GET", .events),
        // Workflows and bulk operations.
        RESTRoute("POST", .tasksBulk),
        RESTRoute("POST", .batches),
        RESTRoute("GET", .batches),
        RESTRoute("GET", .batch),
        RESTRoute("POST", .batchCancel),
        // Dashboard (issue 16).
        RESTRoute("GET", .cronNext),
        RESTRoute("GET", .jobNext),
        RESTRoute("GET", .taskStatsTimeseries),
        RESTRoute("GET", .dashboard),
        RESTRoute("GET", .openAPI),
    ]

    /// The methods allowed on `path`, for a 405's `Allow` header (`HEAD` comes with `GET`).
    public static func allowedMethods(for path: RESTPath) -> [String] {
        var methods = all.filter { $0.path == path }.map(\.method)
        if methods.contains("GET") { methods.append("HEAD") }
        return methods
    }
}
