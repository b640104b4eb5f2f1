// w3-router: the REST router alone, in process, no sockets (the part of W3 that is ours beyond the
// HTTP server): GET /api/tasks/1 and POST /api/tasks through RESTRouter over WorkerService with an
// InMemoryTaskStore pre-seeded with 1000 tasks (no worker pool running). See Docs/perf/w3.md.
import Foundation
import Glibc
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
        var cpuPerRequest: [Double] = []
        for run in 0..<6 {  // run 0 is the discarded warm-up
            let service = WorkerService(store: InMemoryTaskStore())
            for index in 0..<1000 { _ = try await service.createTask(NewTask(type: "seed", payload: ["n": .integer(Int64(index))])) }
            let router = RESTRouter(backend: service)
            var bytes = 0
            let cpuStart = processCPUSeconds()
            let start = ContinuousClock.now
            for _ in 0..<iterations {
                let response = await router.respond(to: request)
                bytes &+= response.body.count
            }
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let cpu = processCPUSeconds() - cpuStart
            precondition(bytes > iterations * 300)
            if run > 0 {
                perRequest.append(seconds / Double(iterations) * 1e9)
                cpuPerRequest.append(cpu / Double(iterations) * 1e9)
            }
        }
        let sorted = perRequest.sorted()
        let cpuSorted = cpuPerRequest.sorted()
        print("\(name): wall median \(fixed(median(perRequest), 0)) ns/request (min \(fixed(sorted.first!, 0)), max \(fixed(sorted.last!, 0))); CPU median \(fixed(median(cpuPerRequest), 0)) ns/request (min \(fixed(cpuSorted.first!, 0)), max \(fixed(cpuSorted.last!, 0)))")
    }
}

/// CPU time of the whole process so far (user + system), in seconds: unlike wall time it does not
/// count the time other processes on a busy machine hold the cores.
private func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}
