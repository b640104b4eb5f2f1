import Foundation
import TaskCore

/// `GET /health` and `GET /metrics`.
extension RESTRouter {
    /// `GET /health`: 200 `{"status":"ok","service":"worker-service","store":"memory","uptimeSeconds":12}`,
    /// or 503 with `"status":"error"` and a `message` when the backend's store does not answer.
    func health() async -> RESTResponse {
        let healthy = await backend.isHealthy()
        let uptime = max(0, Int(options.now().timeIntervalSince(startedAt)))
        var writer = JSONWriter(capacity: 160)
        writer.raw(healthy ? "{\"status\":\"ok\"" : "{\"status\":\"error\"")
        writer.raw(",\"service\":")
        writer.string(options.serviceName)
        writer.raw(",\"store\":")
        writer.string(options.storeKind)
        writer.raw(",\"uptimeSeconds\":")
        writer.integer(uptime)
        if !healthy { writer.raw(",\"message\":\"the task store does not answer\"") }
        writer.raw("}")
        var response = RESTResponse.json(healthy ? 200 : 503, writer)
        response.headers.append(("Cache-Control", "no-store"))
        return response
    }

    /// `GET /metrics`: Prometheus text format 0.0.4 (see `Docs/HEALTH_CHECKS.md` for every metric).
    func metricsText() async -> RESTResponse {
        let healthy = await backend.isHealthy()
        var text = PrometheusText()
        text.gauge("worker_up", "1 when the task store answers, 0 otherwise.", healthy ? 1 : 0)
        text.gauge(
            "worker_uptime_seconds", "Seconds since the REST router started.",
            max(0, options.now().timeIntervalSince(startedAt)))
        if healthy, let stats = try? await backend.taskStats() {
            text.header("worker_tasks", "Tasks in the store by status.", type: "gauge")
            for status in TaskStatus.allCases {
                text.sample("worker_tasks", [("status", status.rawValue)], Double(stats.all[status]))
            }
            text.header("worker_tasks_by_type", "Tasks in the store by type and status.", type: "gauge")
            // The 100 largest types, the rest summed as type="__other__": a bounded label set (issue 12, D4).
            for (type, counts) in stats.boundedByType() {
                for status in TaskStatus.allCases {
                    text.sample("worker_tasks_by_type", [("type", type), ("status", status.rawValue)], Double(counts[status]))
                }
            }
            text.gauge(
                "worker_queue_depth", "Tasks waiting to run: pending plus retrying.",
                Double(stats.all[.pending] + stats.all[.retrying]))
        }
        if healthy, let queues = try? await backend.listQueues() { appendQueueMetrics(&text, queues) }
        if healthy, let jobs = try? await backend.listJobs() {
            text.header("worker_jobs", "Cron jobs by status.", type: "gauge")
            for status in JobStatus.allCases {
                text.sample("worker_jobs", [("status", status.rawValue)], Double(jobs.filter { $0.status == status }.count))
            }
            text.header("worker_job_run_count", "Each cron job's runCount as stored (gone with its job; see worker_job_runs_total).", type: "gauge")
            // At most 100 jobs (the most runs first), the rest summed as job="__other__".
            let listed = jobs.count <= MetricsRegistry.maxLabelValues
                ? jobs : Array(jobs.sorted { ($0.runCount, $1.id) > ($1.runCount, $0.id) }.prefix(MetricsRegistry.maxLabelValues))
            for job in listed.sorted(by: { $0.id < $1.id }) {
                text.sample("worker_job_run_count", [("job", job.id.description), ("name", job.name)], Double(job.runCount))
            }
            if listed.count < jobs.count {
                let listedRuns = listed.reduce(0) { $0 + $1.runCount }
                let allRuns = jobs.reduce(0) { $0 + $1.runCount }
                text.sample(
                    "worker_job_run_count", [("job", TaskStats.otherTypesKey), ("name", TaskStats.otherTypesKey)],
                    Double(allRuns - listedRuns))
            }
        }
        appendRegistry(to: &text)
        appendServiceMetrics(to: &text)
        var response = RESTResponse(
            status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")], body: text.bytes)
        response.headers.append(("Cache-Control", "no-store"))
        return response
    }

    private func appendRegistry(to text: inout PrometheusText) {
        let snapshot = metrics.snapshot()
        text.header("worker_task_attempts_total", "Handler attempts run by this process, by type and outcome.", type: "counter")
        for key in snapshot.attempts.keys.sorted(by: { ($0.type, $0.outcome.rawValue) < ($1.type, $1.outcome.rawValue) }) {
            text.sample(
                "worker_task_attempts_total", [("type", key.type), ("outcome", key.outcome.rawValue)],
                Double(snapshot.attempts[key]!))
        }
        text.header("worker_task_attempt_duration_seconds", "Handler attempt durations in this process, by type.", type: "histogram")
        for type in snapshot.attemptDuration.keys.sorted() {
            text.histogram("worker_task_attempt_duration_seconds", [("type", type)], snapshot.attemptDuration[type]!)
        }
        text.header("worker_http_requests_total", "HTTP requests answered by the REST router.", type: "counter")
        let keys = snapshot.requests.keys.sorted { ($0.route, $0.method, $0.status) < ($1.route, $1.method, $1.status) }
        for key in keys {
            text.sample(
                "worker_http_requests_total",
                [("route", key.route), ("method", key.method), ("status", String(key.status))],
                Double(snapshot.requests[key]!))
        }
        text.header("worker_http_request_duration_seconds", "Time spent in the REST router per request.", type: "histogram")
        text.histogram("worker_http_request_duration_seconds", [], snapshot.requestDuration)
    }
}
