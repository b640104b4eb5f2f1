import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
public import TaskCore

/// A ``WorkerBackend`` that reaches another process's worker REST API over HTTP (the gateway's
/// split mode: `worker-demo gateway --worker-url http://127.0.0.1:4001`).
///
/// REST errors come back as the ``TaskCoreError`` the worker raised: its `X-Error-Code` header
/// gives the code (else the status: 404 `notFound`, 400 `invalidArgument`, 5xx `unavailable`) and
/// the body's `message` the message. A worker that cannot be reached (connection refused, DNS,
/// timeout) is `TaskCoreError(code: .unavailable, message: "Worker Service is unavailable")`.
public struct RemoteWorkerBackend: WorkerBackend {
    /// The message of every "cannot reach the worker" error.
    public static let unavailableMessage = "Worker Service is unavailable"

    /// The worker's base URL without a trailing slash (`http://localhost:4001`).
    public let baseURL: String
    /// The longest a request may take before the worker counts as unavailable.
    public let timeout: Duration
    /// The client for an `http://` worker (``WorkerHTTPClient``); `nil` for `https://`, which goes
    /// through `session` (no TLS of our own).
    let client: WorkerHTTPClient?
    /// The path part of `baseURL` that every request target starts with (usually empty).
    let basePath: String
    let session: URLSession?

    /// Creates a client.
    /// - Parameters:
    ///   - baseURL: the worker's base URL, e.g. `http://localhost:4001` (a trailing `/` or `/api` is ignored).
    ///   - timeout: per-request time limit (default 5 s).
    /// - Throws: `invalidArgument` when `baseURL` is not an `http` or `https` URL.
    public init(baseURL: String, timeout: Duration = .seconds(5)) throws(TaskCoreError) {
        var base = baseURL.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/api") { base.removeLast(4) }
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host != nil
        else {
            throw .invalidArgument("workerURL", "worker URL: '\(baseURL)' is not an http:// or https:// URL")
        }
        self.baseURL = base
        self.timeout = timeout
        basePath = url.path.hasSuffix("/") ? String(url.path.dropLast()) : url.path
        if scheme == "http", let host = url.host {
            client = WorkerHTTPClient(host: host, port: url.port ?? 80, timeout: timeout)
            session = nil
        } else {
            let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) * 1e-18
            let configuration = URLSessionConfiguration.ephemeral
            configuration.timeoutIntervalForRequest = seconds
            configuration.timeoutIntervalForResource = seconds
            configuration.httpMaximumConnectionsPerHost = 32
            client = nil
            session = URLSession(configuration: configuration)
        }
    }

    // MARK: Tasks

    public func createTask(_ draft: NewTask) async throws(TaskCoreError) -> CreatedTask {
        var writer = JSONWriter(capacity: 256)
        writer.raw("{\"type\":")
        writer.string(draft.type)
        writer.raw(",\"payload\":")
        writer.value(draft.payload)
        writer.raw(",\"priority\":")
        writer.integer(draft.priority.rawValue)
        writer.raw(",\"maxAttempts\":")
        writer.integer(draft.maxAttempts)
        if let runAt = draft.runAt {
            writer.raw(",\"runAt\":")
            writer.timestamp(runAt)
        } else if let delay = draft.delay {
            writer.raw(",\"delayMs\":")
            writer.integer(Self.milliseconds(delay))
        }
        if let timeout = draft.timeout {
            writer.raw(",\"timeoutMs\":")
            writer.integer(Self.milliseconds(timeout))
        }
        if let uniqueKey = draft.uniqueKey {
            writer.raw(",\"uniqueKey\":")
            writer.string(uniqueKey)
        }
        writer.raw(",\"queue\":")
        writer.string(draft.queue)
        if let key = draft.concurrencyKey {
            writer.raw(",\"concurrencyKey\":")
            writer.string(key)
        }
        writer.workflowDraftMembers(draft)
        writer.raw("}")
        let answer = try await send("POST", "/api/tasks", body: writer.bytes)
        return CreatedTask(task: try ContractDecoding.task(answer.json), created: answer.status == 201)
    }

    public func listTasks(_ query: TaskQuery) async throws(TaskCoreError) -> TaskPage {
        var items = ["limit=\(query.limit)", "offset=\(query.offset)"]
        if !query.statuses.isEmpty {
            items.append("status=" + query.statuses.map(\.rawValue).sorted().joined(separator: ","))
        }
        if let type = query.type { items.append("type=" + Self.percentEncode(type)) }
        items += Self.searchItems(query)
        let answer = try await send("GET", "/api/tasks?" + items.joined(separator: "&"))
        let object = try ContractDecoding.members(answer.json, "task list")
        var tasks: [TaskRecord] = []
        for element in object["tasks"]?.arrayValue ?? [] { tasks.append(try ContractDecoding.task(element)) }
        return TaskPage(tasks: tasks, total: Int(object["total"]?.integerValue ?? Int64(tasks.count)))
    }

    public func task(_ id: TaskID) async throws(TaskCoreError) -> TaskRecord {
        try ContractDecoding.task(try await send("GET", "/api/tasks/\(id)").json)
    }

    public func retryTask(_ id: TaskID, resetAttempts: Bool) async throws(TaskCoreError) -> TaskRecord {
        let body = Array((resetAttempts ? #"{"resetAttempts":true}"# : #"{"resetAttempts":false}"#).utf8)
        return try ContractDecoding.task(try await send("POST", "/api/tasks/\(id)/retry", body: body).json)
    }

    public func cancelTask(_ id: TaskID) async throws(TaskCoreError) -> TaskRecord {
        try ContractDecoding.task(try await send("POST", "/api/tasks/\(id)/cancel").json)
    }

    public func taskLogs(_ id: TaskID, limit: Int) async throws(TaskCoreError) -> [TaskLogEntry] {
        let answer = try await send("GET", "/api/tasks/\(id)/logs?limit=\(limit)")
        var entries: [TaskLogEntry] = []
        for element in try answer.json["logs"]?.arrayValue ?? [] { entries.append(try ContractDecoding.logEntry(element)) }
        return entries
    }

    public func taskStats() async throws(TaskCoreError) -> TaskStats {
        try ContractDecoding.stats(try await send("GET", "/api/tasks/stats/summary").json)
    }

    // MARK: Jobs

    public func createJob(_ draft: NewJob) async throws(TaskCoreError) -> ScheduledJob {
        var writer = JSONWriter(capacity: 256)
        writer.raw("{\"name\":")
        writer.string(draft.name)
        writer.raw(",\"type\":")
        writer.string(draft.type)
        writer.raw(",\"schedule\":")
        writer.string(draft.schedule)
        writer.raw(",\"timezone\":")
        writer.string(draft.timezone)
        writer.raw(",\"payload\":")
        writer.value(draft.payload)
        writer.raw(",\"priority\":")
        writer.integer(draft.priority.rawValue)
        if let maxAttempts = draft.maxAttempts {
            writer.raw(",\"maxAttempts\":")
            writer.integer(maxAttempts)
        }
        writer.raw(",\"catchUp\":")
        writer.string(draft.catchUp.rawValue)
        writer.raw(",\"queue\":")
        writer.string(draft.queue)
        writer.raw("}")
        return try ContractDecoding.job(try await send("POST", "/api/jobs", body: writer.bytes).json)
    }

    public func listJobs() async throws(TaskCoreError) -> [ScheduledJob] {
        let answer = try await send("GET", "/api/jobs")
        var jobs: [ScheduledJob] = []
        for element in try answer.json["jobs"]?.arrayValue ?? [] { jobs.append(try ContractDecoding.job(element)) }
        return jobs
    }

    public func job(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob {
        try ContractDecoding.job(try await send("GET", "/api/jobs/\(id)").json)
    }

    public func updateJob(_ id: JobID, _ update: JobUpdate) async throws(TaskCoreError) -> ScheduledJob {
        var writer = JSONWriter(capacity: 256)
        writer.raw("{")
        var first = true
        func key(_ name: StaticString) {
            if !first { writer.raw(",") }
            first = false
            writer.raw(name)
        }
        if let name = update.name { key("\"name\":"); writer.string(name) }
        if let schedule = update.schedule { key("\"schedule\":"); writer.string(schedule) }
        if let timezone = update.timezone { key("\"timezone\":"); writer.string(timezone) }
        if let payload = update.payload { key("\"payload\":"); writer.value(payload) }
        if let priority = update.priority { key("\"priority\":"); writer.integer(priority.rawValue) }
        if let maxAttempts = update.maxAttempts { key("\"maxAttempts\":"); writer.integer(maxAttempts) }
        if let catchUp = update.catchUp { key("\"catchUp\":"); writer.string(catchUp.rawValue) }
        if let queue = update.queue { key("\"queue\":"); writer.string(queue) }
        writer.raw("}")
        return try ContractDecoding.job(try await send("PATCH", "/api/jobs/\(id)", body: writer.bytes).json)
    }

    public func pauseJob(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob {
        try ContractDecoding.job(try await send("POST", "/api/jobs/\(id)/pause").json)
    }

    public func resumeJob(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob {
        try ContractDecoding.job(try await send("POST", "/api/jobs/\(id)/resume").json)
    }

    public func triggerJob(_ id: JobID) async throws(TaskCoreError) -> TaskRecord {
        try ContractDecoding.task(try await send("POST", "/api/jobs/\(id)/trigger").json)
    }

    public func deleteJob(_ id: JobID) async throws(TaskCoreError) {
        _ = try await send("DELETE", "/api/jobs/\(id)")
    }

    /// Whether the worker answers `GET /health` with 200 within the timeout.
    public func isHealthy() async -> Bool {
        (try? await send("GET", "/health")) != nil
    }
}
