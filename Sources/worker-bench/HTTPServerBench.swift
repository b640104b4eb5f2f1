// w3-server: the HTTPServer library alone, with a trivial responder, under wrk (see Docs/perf/w3-server.md).
import Foundation
import Glibc
import HTTPServer

/// The GET body: ~250 bytes of task JSON, like `GET /api/tasks/:id` of the W3 workload.
private let taskJSON = Array(
    #"{"id":"1","type":"email","status":"pending","priority":5,"payload":{"to":"user@example.com","subject":"Welcome aboard","template":"welcome-v2","locale":"en-US"},"attempts":0,"maxAttempts":3,"createdAt":"2026-11-29T00:00:00Z","runAt":"2026-11-29T00:00:00Z"}"#.utf8)

/// Answers `GET /api/tasks/1` with `taskJSON` and `POST /api/tasks` with 201 and the same JSON.
private struct BenchResponder: HTTPResponder {
    func respond(to request: HTTPRequest) async -> HTTPResponse { answer(request) }
    func answer(_ request: HTTPRequest) -> HTTPResponse {
        switch (request.method, request.path) {
        case (.get, "/api/tasks/1"): .json(taskJSON)
        case (.post, "/api/tasks"): .json(status: request.body.isEmpty ? 400 : 201, taskJSON)
        default: .json(status: 404, #"{"error":{"code":"not_found","message":"no route"}}"#)
        }
    }
}

/// The same responder, answering on the event loop without a task hop.
private struct ImmediateBenchResponder: HTTPImmediateResponder {
    let inner = BenchResponder()
    func respond(to request: HTTPRequest) async -> HTTPResponse { inner.answer(request) }
    func respondImmediately(to request: HTTPRequest) -> HTTPResponse? { inner.answer(request) }
}

/// One wrk result.
private struct WrkResult {
    var requestsPerSecond: Double
    var p99Milliseconds: Double
    var requests: Double = 0
    /// Server CPU time (user + system) per request, in microseconds: steadier than req/s on a busy machine.
    var cpuMicroseconds: Double = .nan
    /// wrk's CPU time per request, in microseconds.
    var wrkCPUMicroseconds: Double = .nan
}

/// This process's CPU time (user + system) in seconds, or that of its waited-for children (wrk).
private func processCPUSeconds(children: Bool = false) -> Double {
    var usage = rusage()
    getrusage(children ? RUSAGE_CHILDREN.rawValue : RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Runs wrk and parses `Requests/sec` and the 99% latency line.
private func runWrk(_ arguments: [String]) throws -> WrkResult {
    let cpuBefore = processCPUSeconds()
    let wrkBefore = processCPUSeconds(children: true)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let cpu = processCPUSeconds() - cpuBefore
    let wrkCPU = processCPUSeconds(children: true) - wrkBefore
    var result = WrkResult(requestsPerSecond: 0, p99Milliseconds: .nan)
    for line in output.split(separator: "\n") {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        if fields.first == "Requests/sec:", fields.count > 1 { result.requestsPerSecond = Double(fields[1]) ?? 0 }
        if fields.first == "99%", fields.count > 1 { result.p99Milliseconds = milliseconds(String(fields[1])) }
        if fields.count > 1, fields[1] == "requests" { result.requests = Double(fields[0]) ?? 0 }
        if line.contains("Non-2xx") || line.contains("Socket errors") { print("   wrk: \(line.trimmingCharacters(in: .whitespaces))") }
    }
    result.cpuMicroseconds = cpu / max(result.requests, 1) * 1e6
    result.wrkCPUMicroseconds = wrkCPU / max(result.requests, 1) * 1e6
    return result
}

/// Converts wrk's `1.23ms` / `456.00us` / `1.01s` to milliseconds.
private func milliseconds(_ text: String) -> Double {
    if text.hasSuffix("ms") { return Double(text.dropLast(2)) ?? .nan }
    if text.hasSuffix("us") { return (Double(text.dropLast(2)) ?? .nan) / 1000 }
    if text.hasSuffix("s") { return (Double(text.dropLast(1)) ?? .nan) * 1000 }
    return .nan
}

/// Starts a server per mode and measures GET and POST with wrk: a 2 s warm-up, then 5 runs of 10 s.
///
/// Environment: `W3_RUNS` (default 5), `W3_SECONDS` (default 10), `W3_MODES` (default `async,immediate`),
/// `W3_LOOPS` (event loops; default one per core). `W3_SERVE=<port>` only serves until SIGINT/SIGTERM.
func runHTTPServerBench() async throws {
    if let serve = ProcessInfo.processInfo.environment["W3_SERVE"], let port = Int(serve) {
        // Manual testing (curl, wrk by hand): serve the bench responder until SIGINT/SIGTERM.
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: port), responder: BenchResponder())
        print("serving on http://127.0.0.1:\(try server.start())/api/tasks/1 until SIGINT/SIGTERM")
        let signal = await TerminationSignal.wait()
        print("signal \(signal): shutting down")
        await server.shutdown()
        return
    }
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else {
        print("wrk not found: apt-get install -y wrk")
        return
    }
    let environment = ProcessInfo.processInfo.environment
    let runs = Int(environment["W3_RUNS"] ?? "") ?? 5
    let seconds = Int(environment["W3_SECONDS"] ?? "") ?? 10
    let modes = (environment["W3_MODES"] ?? "async,immediate").split(separator: ",").map(String.init)
    let loops = Int(environment["W3_LOOPS"] ?? "")
    let script = NSTemporaryDirectory() + "w3_post_task.lua"
    try #"""
    wrk.method = "POST"
    wrk.body   = '{"type":"email","payload":{},"priority":5}'
    wrk.headers["Content-Type"] = "application/json"
    """#.write(toFile: script, atomically: true, encoding: .utf8)

    for mode in modes {
        let responder: any HTTPResponder = mode == "immediate" ? ImmediateBenchResponder() : BenchResponder()
        for (name, path, extra) in [("GET", "/api/tasks/1", [String]()), ("POST", "/api/tasks", ["-s", script])] {
            let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0, eventLoops: loops), responder: responder)
            let port = try server.start()
            let url = "http://127.0.0.1:\(port)\(path)"
            _ = try runWrk(["-t2", "-c64", "-d2s", "--latency"] + extra + [url])
            var results: [WrkResult] = []
            for _ in 0..<runs {
                results.append(try runWrk(["-t2", "-c64", "-d\(seconds)s", "--latency"] + extra + [url]))
            }
            await server.shutdown()
            let rates = results.map(\.requestsPerSecond)
            let p99s = results.map(\.p99Milliseconds)
            print("\(mode) \(name) \(path) (loops: \(server.configuration.eventLoops)): req/s median \(fixed(median(rates), 0)) min \(fixed(rates.min() ?? 0, 0)) max \(fixed(rates.max() ?? 0, 0)); p99 median \(fixed(median(p99s), 2)) ms (max \(fixed(p99s.max() ?? 0, 2)) ms); server CPU \(fixed(median(results.map(\.cpuMicroseconds)), 2)) µs/req, wrk CPU \(fixed(median(results.map(\.wrkCPUMicroseconds)), 2)) µs/req")
            print("   runs: " + results.map { "\(fixed($0.requestsPerSecond, 0)) req/s p99 \(fixed($0.p99Milliseconds, 2)) ms" }.joined(separator: " | "))
        }
    }
}
