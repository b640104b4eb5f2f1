import Foundation
import TaskCore
import Testing
import WorkerAPI

@Suite struct RESTServiceRoutesTests {
    @Test(.timeLimit(.minutes(1)))
    func healthIsOkWithStoreAndUptime() async {
        let answer = await RESTHarness().send("GET", "/health")
        #expect(answer.status == 200)
        #expect(answer.json == ["status": "ok", "service": "worker-service", "store": "memory", "uptimeSeconds": 0])
    }

    @Test(.timeLimit(.minutes(1)))
    func healthIs503WhenTheBackendIsUnhealthy() async {
        let rest = RESTHarness()
        await rest.backend.setHealthy(false)
        let answer = await rest.send("GET", "/health")
        #expect(answer.status == 503)
        #expect(answer.json["status"] == "error")
        #expect(answer.json["service"] == "worker-service")
        #expect(answer.json["message"] == "the task store does not answer")
    }

    @Test(.timeLimit(.minutes(1)))
    func metricsArePrometheusText() async {
        let rest = RESTHarness()
        await rest.createTask(#"{"type":"email"}"#)
        await rest.createTask(#"{"type":"backup"}"#)
        await rest.backend.setStatus(2, .completed)
        _ = await rest.send("POST", "/api/jobs", body: #"{"name":"b","type":"backup","schedule":"0 0 * * *"}"#)
        _ = await rest.send("POST", "/api/jobs/1/trigger")
        rest.metrics.recordAttempt(type: "email", outcome: .completed, seconds: 0.02)
        rest.metrics.recordAttempt(type: "email", outcome: .failed, seconds: 3)
        let answer = await rest.send("GET", "/metrics")
        #expect(answer.status == 200)
        #expect(answer.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        let lines = answer.text.split(separator: "\n").map(String.init)
        for expected in [
            "worker_up 1",
            #"worker_tasks{status="pending"} 2"#,
            #"worker_tasks{status="completed"} 1"#,
            #"worker_tasks_by_type{type="backup",status="completed"} 1"#,
            "worker_queue_depth 2",
            #"worker_jobs{status="active"} 1"#,
            #"worker_job_run_count{job="1",name="b"} 1"#,
            #"worker_task_attempts_total{type="email",outcome="completed"} 1"#,
            #"worker_task_attempts_total{type="email",outcome="failed"} 1"#,
            #"worker_task_attempt_duration_seconds_bucket{type="email",le="0.05"} 1"#,
            #"worker_task_attempt_duration_seconds_bucket{type="email",le="5"} 2"#,
            #"worker_task_attempt_duration_seconds_count{type="email"} 2"#,
            #"worker_http_requests_total{route="/api/tasks",method="POST",status="201"} 2"#,
            #"worker_http_requests_total{route="/api/jobs/{id}/trigger",method="POST",status="201"} 1"#,
            "# TYPE worker_http_request_duration_seconds histogram",
            #"worker_http_request_duration_seconds_bucket{le="+Inf"} 4"#,
        ] {
            #expect(lines.contains(expected), "missing: \(expected)")
        }
        // Every sample line is `name{labels} value` with a numeric value, and every metric has HELP and TYPE.
        for line in lines where !line.hasPrefix("#") {
            let value = line.split(separator: " ").last.map(String.init) ?? ""
            #expect(Double(value) != nil, "bad sample: \(line)")
        }
        let typed = Set(lines.filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] })
        let helped = Set(lines.filter { $0.hasPrefix("# HELP ") }.map { $0.split(separator: " ")[2] })
        #expect(typed == helped)
    }

    @Test(.timeLimit(.minutes(1)))
    func metricsStayUpWhenTheStoreIsDown() async {
        let rest = RESTHarness()
        await rest.backend.setHealthy(false)
        let answer = await rest.send("GET", "/metrics")
        #expect(answer.status == 200)
        #expect(answer.text.contains("worker_up 0\n"))
        #expect(!answer.text.contains("worker_tasks{"))
    }
}
