import Foundation
import HTTPServer
import Scheduling
import TaskCore
import Testing
import WorkerAPI

/// Serves a router on a real ``HTTPServer`` (port 0) for the remote backend tests.
struct RESTTestServer: HTTPResponder {
    let router: RESTRouter

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        let response = await router.respond(
            to: RESTRequest(
                method: request.method.rawValue, path: request.path, query: request.query, headers: request.headers.fields,
                body: request.body))
        return HTTPResponse(status: response.status, headers: HTTPHeaders(response.headers), body: response.body)
    }

    /// Starts a server over `backend`, runs `body` with a client pointed at it, then stops the server.
    static func withRemote(
        _ backend: any WorkerBackend, _ body: (RemoteWorkerBackend) async throws -> Void
    ) async throws {
        let server = HTTPServer(
            configuration: .init(host: "127.0.0.1", port: 0, eventLoops: 1),
            responder: RESTTestServer(router: RESTRouter(backend: backend)))
        let port = try server.start()
        do {
            try await body(try RemoteWorkerBackend(baseURL: "http://127.0.0.1:\(port)/", timeout: .seconds(5)))
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }
}

@Suite(.serialized) struct RESTRemoteBackendTests {
    /// The contract's view of a task (what REST carries; the lease and per-task timeout are not part of it).
    static func contractJSON(_ task: TaskRecord) -> [UInt8] {
        var writer = JSONWriter()
        writer.task(task)
        return writer.bytes
    }

    @Test(.timeLimit(.minutes(1)))
    func roundTripsTasksThroughTheRESTAPI() async throws {
        let service = WorkerService(store: InMemoryTaskStore())
        try await RESTTestServer.withRemote(service) { remote in
            let created = try await remote.createTask(
                NewTask(type: "email", payload: ["to": "a@b.c", "n": [1, 2]], priority: .high, maxAttempts: 4, uniqueKey: "k1"))
            #expect(created.created)
            #expect(created.task.id == 1)
            #expect(created.task.payload == ["to": "a@b.c", "n": [1, 2]])
            #expect(created.task.priority == .high)
            #expect(created.task.maxAttempts == 4)
            let again = try await remote.createTask(NewTask(type: "email", uniqueKey: "k1"))
            #expect(!again.created)
            #expect(again.task.id == 1)
            _ = try await remote.createTask(NewTask(type: "backup", delay: .seconds(60)))

            #expect(Self.contractJSON(try await remote.task(1)) == Self.contractJSON(try await service.task(1)))
            let page = try await remote.listTasks(TaskQuery(statuses: [.pending], type: "email", limit: 10))
            #expect(page.tasks.map(\.id) == [1])
            #expect(page.total == 1)
            #expect(try await remote.listTasks(TaskQuery()).tasks.map(\.id) == [2, 1])

            let cancelled = try await remote.cancelTask(1)
            #expect(cancelled.status == .cancelled)
            let retried = try await remote.retryTask(1, resetAttempts: true)
            #expect(retried.status == .pending)
            let logs = try await remote.taskLogs(1, limit: 100)
            #expect(logs == (try await service.taskLogs(1, limit: 100)))
            let stats = try await remote.taskStats()
            #expect(stats.total == 2)
            #expect(stats.all[.pending] == 2)
            #expect(await remote.isHealthy())
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func roundTripsJobs() async throws {
        let service = WorkerService(store: InMemoryTaskStore())
        try await RESTTestServer.withRemote(service) { remote in
            let job = try await remote.createJob(
                NewJob(name: "Daily Backup", type: "backup", schedule: "0 0 * * *", timezone: "Europe/Berlin", catchUp: .skip))
            #expect(job.name == "Daily Backup")
            #expect(job.timezone == "Europe/Berlin")
            #expect(job.catchUp == .skip)
            #expect(job.nextRun != nil)
            #expect(try await remote.job(job.id) == service.job(job.id))
            let updated = try await remote.updateJob(job.id, JobUpdate(name: "Nightly", schedule: "30 1 * * *"))
            #expect(updated.name == "Nightly")
            #expect(updated.schedule == "30 1 * * *")
            #expect(try await remote.pauseJob(job.id).status == .paused)
            #expect(try await remote.resumeJob(job.id).status == .active)
            let task = try await remote.triggerJob(job.id)
            #expect(task.jobId == job.id)
            #expect(try await remote.listJobs().map(\.id) == [job.id])
            try await remote.deleteJob(job.id)
            #expect(try await remote.listJobs().isEmpty)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func mapsRESTErrorsBackToTaskCoreErrors() async throws {
        let service = WorkerService(store: InMemoryTaskStore())
        try await RESTTestServer.withRemote(service) { remote in
            let missing = await #expect(throws: TaskCoreError.self) { try await remote.task(42) }
            #expect(missing == TaskCoreError(code: .notFound, message: "Task 42 not found"))
            let missingJob = await #expect(throws: TaskCoreError.self) { try await remote.pauseJob(9) }
            #expect(missingJob?.code == .notFound)
            #expect(missingJob?.message == "Job 9 not found")

            _ = try await remote.createTask(NewTask(type: "email"))
            _ = try await remote.cancelTask(1)
            let transition = await #expect(throws: TaskCoreError.self) { try await remote.cancelTask(1) }
            #expect(transition?.code == .invalidTransition)
            #expect(transition?.message == "Cannot cancel task 1: status is cancelled")

            let cron = await #expect(throws: TaskCoreError.self) {
                try await remote.createJob(NewJob(name: "x", type: "t", schedule: "0 25 * * *"))
            }
            #expect(cron?.code == .invalidCron)
            let priority = await #expect(throws: TaskCoreError.self) {
                try await remote.listTasks(TaskQuery(limit: 5000))
            }
            #expect(priority?.code == .invalidArgument)
            #expect(priority?.field == "limit")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func closedPortIsUnavailable() async throws {
        // Bind an ephemeral port, then stop the server so nothing listens there.
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0, eventLoops: 1), responder: RESTTestServer(router: RESTRouter(backend: WorkerService(store: InMemoryTaskStore()))))
        let port = try server.start()
        await server.shutdown()
        let remote = try RemoteWorkerBackend(baseURL: "http://127.0.0.1:\(port)", timeout: .seconds(2))
        let error = await #expect(throws: TaskCoreError.self) { try await remote.task(1) }
        #expect(error == TaskCoreError(code: .unavailable, message: "Worker Service is unavailable"))
        #expect(await remote.isHealthy() == false)
    }

    @Test(arguments: ["", "localhost:4001", "ftp://host", "http://"])
    func rejectsBadBaseURLs(url: String) {
        let error = #expect(throws: TaskCoreError.self) { try RemoteWorkerBackend(baseURL: url) }
        #expect(error?.code == .invalidArgument)
    }
}
