import Foundation
import Scheduling
import TaskCore
import Testing
import WorkerAPI

/// `GET /api/events` on an in-process service, streamed into a collecting sink (no socket, no sleeping:
/// the service is not run, so only the changes the test makes through it are published).
@Suite(.timeLimit(.minutes(1))) struct RESTEventStreamTests {
    let service = WorkerService(store: InMemoryTaskStore(), clock: ManualClock())

    func router(bufferSize: Int = 1024) -> RESTRouter {
        var options = RESTRouter.Options()
        options.events = EventStreamOptions(bufferSize: bufferSize, pingInterval: .seconds(3600))
        return RESTRouter(backend: service, options: options)
    }

    /// Opens a stream and returns the sink and the task pumping it.
    func open(_ target: String, headers: [(name: String, value: String)] = [], router: RESTRouter? = nil, limit: Int = .max)
        async -> (RESTResponse, CollectingStreamSink, Task<Void, Never>)
    {
        let response = await (router ?? self.router()).respond(to: RESTRequest(method: "GET", target: target, headers: headers))
        let sink = CollectingStreamSink(limit: limit)
        let stream = response.stream
        let pump = Task { if let stream { await stream.run(sink) } }
        return (response, sink, pump)
    }

    /// Waits (yielding, not sleeping) until the sink holds `count` events; returns what it has when
    /// the suite's time limit cancels the test (so a missing event fails the test, not the run).
    func events(in sink: CollectingStreamSink, count: Int) async -> [(id: String, event: String, data: String)] {
        while true {
            let frames = Self.parse(sink.text)
            if frames.count >= count || sink.isClosed || Task.isCancelled { return frames }
            await Task.yield()
        }
    }

    static func parse(_ text: String) -> [(id: String, event: String, data: String)] {
        text.components(separatedBy: "\n\n").compactMap { block in
            var id = "", event = "", data = ""
            for line in block.split(separator: "\n") {
                if line.hasPrefix("id: ") { id = String(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            }
            return event.isEmpty ? nil : (id, event, data)
        }
    }

    @Test func streamsTaskAndJobEventsWithIncreasingIds() async throws {
        let (response, sink, pump) = await open("/api/events")
        #expect(response.status == 200)
        #expect(response.header("Content-Type")?.hasPrefix("text/event-stream") == true)
        while service.changes.subscriberCount == 0, !Task.isCancelled { await Task.yield() }
        let task = try await service.createTask(NewTask(type: "email")).task
        let job = try await service.createJob(NewJob(name: "n", type: "backup", schedule: "0 0 * * *"))
        try await service.deleteJob(job.id)
        let frames = await events(in: sink, count: 3)
        #expect(frames.map(\.event) == ["task", "job", "job"])
        #expect(frames.map(\.id) == ["1", "2", "3"])
        #expect(frames[0].data.contains("\"id\":\"\(task.id)\"") && frames[0].data.contains("\"status\":\"pending\""))
        #expect(frames[2].data == "{\"id\":\"\(job.id)\",\"deleted\":true}")
        sink.finish()  // the client leaves
        await pump.value
        #expect(service.changes.subscriberCount == 0)
    }

    @Test func filtersCombineAndLastEventIDResumes() async throws {
        // The replay ring records while someone subscribes (and for a while after the last one left).
        let watcher = service.changes.subscribe()
        let first = try await service.createTask(NewTask(type: "email")).task
        _ = try await service.createTask(NewTask(type: "sms")).task
        _ = try await service.cancelTask(first.id)
        watcher.cancel()
        let (_, sink, pump) = await open("/api/events?type=email&events=task", headers: [("Last-Event-ID", "0")])
        let frames = await events(in: sink, count: 2)
        #expect(frames.map(\.id) == ["1", "3"])
        #expect(frames[1].data.contains("\"status\":\"cancelled\""))
        sink.finish()
        await pump.value
        let (_, byID, pump2) = await open("/api/events?taskId=\(first.id)&lastEventId=1")
        let resumed = await events(in: byID, count: 1)
        #expect(resumed.map(\.id) == ["3"])
        byID.finish()
        await pump2.value
    }

    @Test(arguments: [
        ("foo=1", "Unknown filter field 'foo'"), ("events=task,nope", "events: \"nope\" is not one of task, job, queue, batch"),
        ("taskId=abc", "taskId: \"abc\" is not a task id"), ("jobId=0", "jobId: \"0\" is not a job id"),
        ("queue=a%20b", "queue: \"a b\" is not a queue name"), ("type=", "type: \"\" is not a task type"),
        ("batchId=-1", "batchId: \"-1\" is not a batch id"), ("lastEventId=x", "lastEventId: \"x\" is not an event id"),
    ])
    func badFiltersAreRejected(query: String, message: String) async {
        let response = await router().respond(to: RESTRequest(method: "GET", target: "/api/events?\(query)"))
        #expect(response.status == 400)
        #expect(response.stream == nil)
        let body = try? JSONReader().parse(response.body)
        #expect(body?["message"]?.stringValue?.contains(message) == true, "\(String(decoding: response.body, as: UTF8.self))")
        #expect(service.changes.subscriberCount == 0)
    }

    @Test func aSlowClientGetsOverflowAndIsDisconnected() async throws {
        // The client's buffer takes about one frame: the second event finds it full.
        let (_, sink, pump) = await open("/api/events", limit: 700)
        while service.changes.subscriberCount == 0, !Task.isCancelled { await Task.yield() }
        for _ in 0..<3 { _ = try await service.createTask(NewTask(type: "email")) }
        await pump.value
        let frames = Self.parse(sink.text)
        #expect(frames.last?.event == "overflow")
        #expect(frames.last?.data.contains("\"lastEventId\":\"") == true)
        #expect(service.changes.subscriberCount == 0)
    }

    @Test func aSubscriberWhoseBusBufferOverflowsGetsOverflowToo() async throws {
        let router = router(bufferSize: 1)
        let response = await router.respond(to: RESTRequest(method: "GET", target: "/api/events"))
        // Nothing reads yet: subscribe, then publish more than the buffer holds before pumping.
        while service.changes.subscriberCount == 0, !Task.isCancelled { await Task.yield() }
        for _ in 0..<3 { _ = try await service.createTask(NewTask(type: "email")) }
        let sink = CollectingStreamSink()
        await response.stream?.run(sink)
        #expect(Self.parse(sink.text).map(\.event) == ["overflow"])
    }

    @Test func closingTheBusEndsTheStream() async throws {
        let (_, sink, pump) = await open("/api/events")
        while service.changes.subscriberCount == 0, !Task.isCancelled { await Task.yield() }
        service.changes.close()
        await pump.value
        #expect(sink.isClosed)
        #expect(!sink.text.contains("overflow"))
    }
}

/// The process-kept counters of `GET /metrics` on a real service.
@Suite(.timeLimit(.minutes(1))) struct RESTServiceMetricsTests {
    @Test func countersComeFromTheProcessNotTheStore() async throws {
        let service = WorkerService(store: InMemoryTaskStore(), clock: ManualClock())
        let router = RESTRouter(backend: service)
        let job = try await service.createJob(NewJob(name: "nightly", type: "backup", schedule: "0 0 * * *"))
        _ = try await service.triggerJob(job.id)
        try await service.deleteJob(job.id)  // the counter stays although the job is gone
        let task = try await service.createTask(NewTask(type: "email")).task
        _ = try await service.cancelTask(task.id)
        let response = await router.respond(to: RESTRequest(method: "GET", target: "/metrics"))
        let lines = String(decoding: response.body, as: UTF8.self).split(separator: "\n").map(String.init)
        for expected in [
            #"worker_job_runs_total{job="\#(job.id)",name="nightly"} 1"#,
            #"worker_tasks_finished_total{type="email",status="cancelled"} 1"#,
            "# TYPE worker_task_completed_duration_seconds histogram",
            "worker_task_completed_duration_seconds_count 0",
            "worker_lease_recoveries_total 0",
            "worker_slots_busy 0",
            "worker_slots 4",
            "worker_event_subscribers 0",
            "# TYPE process_cpu_seconds_total counter",
            "# TYPE process_start_time_seconds gauge",
        ] {
            #expect(lines.contains(expected), "missing: \(expected)")
        }
        #expect(lines.contains { $0.hasPrefix("process_open_fds ") })
        #expect(lines.contains { $0.hasPrefix("process_resident_memory_bytes ") })
        #expect(lines.contains { $0.hasPrefix("worker_build_info{version=") && $0.hasSuffix(" 1") })
    }

    @Test func finishedTasksOfManyTypesKeepABoundedLabelSet() async throws {
        // Issue 12, D4: every fresh type name kept its own counter for good (memory and scrape).
        let service = WorkerService(store: InMemoryTaskStore(), clock: ManualClock())
        let types = TaskStats.listedTypeLimit + 50
        for index in 0..<types {
            let task = try await service.createTask(NewTask(type: "t\(index)")).task
            _ = try await service.cancelTask(task.id)
        }
        let finished = service.metrics.snapshot().finished
        #expect(finished.count == TaskStats.listedTypeLimit + 1)
        #expect(finished[TaskStats.otherTypesKey]?[.cancelled] == 50)
        #expect(finished.values.reduce(0) { $0 + ($1[.cancelled] ?? 0) } == types)
        let response = await RESTRouter(backend: service).respond(to: RESTRequest(method: "GET", target: "/metrics"))
        let labels = String(decoding: response.body, as: UTF8.self).split(separator: "\n")
            .filter { $0.hasPrefix("worker_tasks_finished_total{") && $0.contains(#"status="cancelled""#) }
        #expect(labels.count == TaskStats.listedTypeLimit + 1)
        #expect(labels.contains(#"worker_tasks_finished_total{type="__other__",status="cancelled"} 50"#))
    }
}
