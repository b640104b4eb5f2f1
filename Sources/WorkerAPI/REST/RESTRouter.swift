public import Foundation
public import TaskCore

/// The worker service's REST API (API.md section 2) as a value: request in, response out, no socket.
///
/// Built once, then immutable and `Sendable`; any HTTP server can mount it (see
/// `Docs/EMBEDDING_HTTP.md`), and tests call ``respond(to:)`` directly.
/// ```swift
/// let router = RESTRouter(backend: service, options: .init(storeKind: "memory"))
/// let response = await router.respond(to: RESTRequest(method: "GET", target: "/api/tasks/1"))
/// ```
/// Errors always have the body `{"statusCode": 404, "error": "Not Found", "message": "Task 42 not found"}`.
public struct RESTRouter: Sendable {
    /// Settings of a router.
    public struct Options: Sendable {
        /// The `service` reported by `GET /health`.
        public var serviceName: String
        /// The `store` reported by `GET /health` (`memory`, `sqlite`, `postgres`, `remote`).
        public var storeKind: String
        /// The largest request body accepted; larger ones get 413 (default 1 MiB).
        public var maxBodyBytes: Int
        /// The clock for `uptimeSeconds` (injectable for tests).
        public var now: @Sendable () -> Date
        /// Tokens, CORS, the cross-site rule and the audit trail (default: no tokens, no CORS, no audit).
        public var accessControl = AccessControl()
        /// Buffer and keep-alive of `GET /api/events`.
        public var events = EventStreamOptions()

        /// Creates options.
        /// - Parameters:
        ///   - serviceName: the `service` of `GET /health` (default `worker-service`).
        ///   - storeKind: the `store` of `GET /health` (default `memory`).
        ///   - maxBodyBytes: the body limit (default 1 MiB).
        ///   - now: the clock (default the system clock).
        public init(
            serviceName: String = "worker-service", storeKind: String = "memory", maxBodyBytes: Int = 1 << 20,
            now: @escaping @Sendable () -> Date = { Date() }
        ) {
            self.serviceName = serviceName
            self.storeKind = storeKind
            self.maxBodyBytes = maxBodyBytes
            self.now = now
        }
    }

    let backend: any WorkerBackend
    let options: Options
    /// The registry the router records requests into and renders at `GET /metrics`.
    public let metrics: MetricsRegistry
    let startedAt: Date
    let frameCache = SSEFrameCache()

    /// Creates a router.
    /// - Parameters:
    ///   - backend: the worker service (in-process `WorkerService`, or a ``RemoteWorkerBackend``).
    ///   - options: health details and limits.
    ///   - metrics: the registry to record into (share it with the handlers' attempt recording).
    public init(backend: any WorkerBackend, options: Options = Options(), metrics: MetricsRegistry = MetricsRegistry()) {
        self.backend = backend
        self.options = options
        self.metrics = metrics
        self.startedAt = options.now()
    }

    /// Every endpoint the router serves (what `Web/openapi/openapi.json`, served at `/openapi.json`, documents).
    public static var routes: [RESTRoute] { RESTRoute.all }

    /// Answers one request that ``AccessControl`` already let through (``respond(to:)`` is the
    /// public entry point, in `RESTRouter+Access.swift`).
    func respondUnguarded(to request: RESTRequest) async -> RESTResponse {
        let start = ContinuousClock.now
        var route = "unmatched"
        let response: RESTResponse
        if request.body.count > options.maxBodyBytes {
            response = .error(
                413, "Request body of \(request.body.count) bytes is over the limit of \(options.maxBodyBytes) bytes",
                code: "payload_too_large")
        } else if !Self.isImplementedMethod(request.method) {
            response = Self.notImplemented(request.method)
        } else if let (path, id) = RESTPath.match(request.path) {
            route = path.template
            let method = request.method == "HEAD" ? "GET" : request.method
            do throws(TaskCoreError) {
                if let answer = try await dispatch(method: method, path: path, id: id, request: request) {
                    response = answer
                } else {
                    let allowed = RESTRoute.allowedMethods(for: path)
                    var answer = RESTResponse.error(
                        405, "Method \(request.method) is not allowed on \(path.template); allowed: \(allowed.joined(separator: ", "))",
                        code: "method_not_allowed")
                    answer.headers.append(("Allow", allowed.joined(separator: ", ")))
                    response = answer
                }
            } catch {
                response = Self.errorResponse(error)
            }
        } else {
            response = .error(
                404, "Cannot \(request.method) \(TaskCoreError.excerpt(request.path, limit: 200))",
                code: TaskCoreError.Code.notFound.rawValue)
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        metrics.recordRequest(route: route, method: request.method, status: response.status, seconds: seconds)
        return response
    }

    /// Runs the endpoint for `method` on `path`, or returns `nil` when the method is not allowed there.
    private func dispatch(method: String, path: RESTPath, id: Substring?, request: RESTRequest)
        async throws(TaskCoreError) -> RESTResponse?
    {
        switch (path, method) {
        case (.tasks, "POST"): return try await createTask(request)
        case (.tasks, "GET"): return try await listTasks(request)
        case (.taskStatsSummary, "GET"): return try await taskStats()
        case (.task, "GET"): return try await getTask(taskID(id))
        case (.taskRetry, "POST"): return try await retryTask(taskID(id), request)
        case (.taskCancel, "POST"): return try await cancelTask(taskID(id))
        case (.taskLogs, "GET"): return try await taskLogs(taskID(id), request)
        case (.jobs, "POST"): return try await createJob(request)
        case (.jobs, "GET"): return try await listJobs()
        case (.job, "GET"): return try await getJob(jobID(id))
        case (.job, "PATCH"): return try await updateJob(jobID(id), request)
        case (.job, "DELETE"): return try await deleteJob(jobID(id))
        case (.jobPause, "POST"): return try await pauseJob(jobID(id))
        case (.jobResume, "POST"): return try await resumeJob(jobID(id))
        case (.jobTrigger, "POST"): return try await triggerJob(jobID(id))
        case (.health, "GET"): return await health()
        case (.metrics, "GET"): return await metricsText()
        case (.queues, "GET"): return try await listQueues()
        case (.queue, "GET"): return try await getQueue(queueName(id))
        case (.queue, "PATCH"): return try await updateQueue(queueName(id), request)
        case (.queuePause, "POST"): return try await setQueuePaused(queueName(id), true)
        case (.queueResume, "POST"): return try await setQueuePaused(queueName(id), false)
        case (.events, "GET"): return try await eventStream(request)
        case (.tasksBulk, "POST"): return try await bulkTasks(request)
        case (.batches, "POST"): return try await createBatch(request)
        case (.batches, "GET"): return try await listBatches(request)
        case (.batch, "GET"): return try await getBatch(batchID(id))
        case (.batchCancel, "POST"): return try await cancelBatch(batchID(id))
        // Dashboard (issue 16).
        case (.cronNext, "GET"): return try cronNext(request)
        case (.jobNext, "GET"): return try await jobNext(jobID(id), request)
        case (.taskStatsTimeseries, "GET"): return try await taskTimeseries(request)
        case (.dashboard, "GET"): return dashboardPage(request)
        case (.openAPI, "GET"): return openAPIDocument(request)
        default: return nil
        }
    }

    /// The task id of a path, or a 404 "Task abc not found" for one that cannot exist.
    ///
    /// The segment is percent-decoded as a path (`+` stays a `+`), and only the canonical form of an
    /// id is one: `01` and `+1` are not task 1. A long segment is quoted shortened.
    private func taskID(_ segment: Substring?) throws(TaskCoreError) -> TaskID {
        let text = RESTQuery.decodePathSegment(segment ?? "")
        guard let id = TaskID(text), id.rawValue > 0 else {
            throw TaskCoreError(code: .notFound, message: "Task \(TaskCoreError.excerpt(text)) not found")
        }
        return id
    }

    /// The job id of a path, or a 404 "Job abc not found" (decoded and quoted as ``taskID(_:)`` does).
    private func jobID(_ segment: Substring?) throws(TaskCoreError) -> JobID {
        let text = RESTQuery.decodePathSegment(segment ?? "")
        guard let id = JobID(text), id.rawValue > 0 else {
            throw TaskCoreError(code: .notFound, message: "Job \(TaskCoreError.excerpt(text)) not found")
        }
        return id
    }

    /// The HTTP status of an error code: `notFound` 404; `invalidArgument`, `invalidCron`,
    /// `invalidTransition` 400; `leaseLost` 409; a non-JSON body 415; `storageFailure` and `unavailable` 503; others 500.
    public static func httpStatus(for code: TaskCoreError.Code) -> Int {
        switch code {
        case .notFound: 404
        case .invalidArgument, .invalidCron, .invalidTransition: 400
        case .leaseLost: 409
        case .unsupportedMediaType: 415
        case .storageFailure, .unavailable: 503
        default: 500
        }
    }

    static func errorResponse(_ error: TaskCoreError) -> RESTResponse {
        var response = RESTResponse.error(httpStatus(for: error.code), error.message, code: error.code.rawValue)
        if let field = error.field { response.headers.append(("X-Error-Field", field)) }
        return response
    }
}
