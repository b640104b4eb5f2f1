// w3-router: the REST router alone, in process, no sockets (the part of W3 that is ours beyond the
// HTTP server): GET /api/tasks/1 and POST /api/tasks through RESTRouter over WorkerService with an
// InMemoryTaskStore pre-seeded with 1000 tasks (no worker pool running). See Docs/perf/w3.md.
import Foundation
import Scheduling
import TaskCore
import WorkerAPI

func runW3Router() async throws {
    let iterations = 100_000
    let getRequest = RESTRequest(method: "GET", target: "/api/tasks/1")
    let postRequest = RESTRequest(
        method: "POST", target: "/api/tasks", headers: [("Content-Type", "application/json")],
        body: Array(#"{"type":"email","payload":{},"priority":5}"#.utf8))
    for (name, request) in [("GET /api/tasks/1", getRequest), ("POST /api/tasks", postRequest)] {
        var perRequest: [Double] = []
        for run in 0..<6 {  // run 0 is the discarded warm-up
            let service = WorkerService(store: InMemoryTaskStore())
            for index in 0..<1000 { _ = try await service.createTask(NewTask(type: "seed", payload: ["n": .integer(Int64(index))])) }
            let router = RESTRouter(backend: service)
            var bytes = 0
            let start = ContinuousClock.now
            for _ in 0..<iterations {
                let response = await router.respond(to: request)
                bytes &+= response.body.count
            }
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            precondition(bytes > iterations * 300)
            if run > 0 { perRequest.append(seconds / Double(iterations) * 1e9) }
        }
        let sorted = perRequest.sorted()
        print("\(name): median \(fixed(median(perRequest), 0)) ns/request, min \(fixed(sorted.first!, 0)), max \(fixed(sorted.last!, 0)) (\(fixed(1e9 / median(perRequest) / 1000, 0))k requests/s on one core)")
    }
}
