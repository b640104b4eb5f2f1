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

    /// The template, as written in `Docs/openapi.yaml`.
    public var template: String { rawValue }

    /// Matches a request path (one trailing slash is ignored) to a template and its `{id}` segment.
    /// Literal segments win over `{id}`: `/api/tasks/stats/summary` is the stats route, never task "stats".
    /// - Returns: `nil` for a path that no template matches.
    public static func match(_ path: String) -> (path: RESTPath, id: Substring?)? {
        var segments: [Substring] = []
        segments.reserveCapacity(4)
        var trimmed = Substring(path)
        if trimmed.utf8.count > 1, trimmed.utf8.last == UInt8(ascii: "/") { trimmed = trimmed.dropLast() }
        guard trimmed.utf8.first == UInt8(ascii: "/") else { return nil }
        for segment in trimmed.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard segments.count < 4, !segment.isEmpty else { return nil }
            segments.append(segment)
        }
        switch segments.count {
        case 1:
            switch segments[0] {
            case "health": return (.health, nil)
            case "metrics": return (.metrics, nil)
            default: return nil
            }
        case 2:
            guard segments[0] == "api" else { return nil }
            switch segments[1] {
            case "tasks": return (.tasks, nil)
            case "jobs": return (.jobs, nil)
            default: return nil
            }
        case 3:
            guard segments[0] == "api" else { return nil }
            switch segments[1] {
            case "tasks": return (.task, segments[2])
            case "jobs": return (.job, segments[2])
            default: return nil
            }
        case 4:
            guard segments[0] == "api" else { return nil }
            switch (segments[1], segments[3]) {
            case ("tasks", "summary") where segments[2] == "stats": return (.taskStatsSummary, nil)
            case ("tasks", "retry"): return (.taskRetry, segments[2])
            case ("tasks", "cancel"): return (.taskCancel, segments[2])
            case ("tasks", "logs"): return (.taskLogs, segments[2])
            case ("jobs", "pause"): return (.jobPause, segments[2])
            case ("jobs", "resume"): return (.jobResume, segments[2])
            case ("jobs", "trigger"): return (.jobTrigger, segments[2])
            default: return nil
            }
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
    ]

    /// The methods allowed on `path`, for a 405's `Allow` header (`HEAD` comes with `GET`).
    public static func allowedMethods(for path: RESTPath) -> [String] {
        var methods = all.filter { $0.path == path }.map(\.method)
        if methods.contains("GET") { methods.append("HEAD") }
        return methods
    }
}
