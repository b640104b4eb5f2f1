import Foundation
import SQLiteStore
import Synchronization
import TaskCore

#if canImport(Glibc)
import Glibc
#endif

/// W9 (WORKLOADS.md, round two): W4 on SQLite in a running `worker-demo worker` process with 1,000
/// `GET /api/events?events=task` subscribers (every task event matches), against the same run
/// without subscribers, alternating.
///
/// One run: the SQLite file is filled beforehand with N `echo` tasks (payload `{}`; the demo's
/// cheapest handler) in the default queue, paused, so that nothing runs yet; `worker-demo worker
/// --store sqlite:FILE` is started; the subscribers connect (this process, one thread, see
/// ``SSESubscribers``) and each has its `: connected`; then the queue is resumed
/// (`POST /api/queues/default/resume`), which plays the part of W4's "start the processor".
/// processed/s = N / (the latest `completedAt` stored − the moment the resume was sent), read
/// from the file after the run; the run waits for the end by polling the last task
/// (`GET /api/tasks/N`, a primary-key read) every 20 ms, and then the queue's counts.
/// Each subscriber must get 2N task events (`processing` and `completed` of every task), in
/// increasing `id:` order, the same sequence as every other subscriber (hash of the ids), and the
/// first subscriber checks each task's own order. Latency: receive time − the task's `updatedAt`.
///
/// The subscribers share the machine's two cores with the worker (as W3's wrk does).
///
/// Environment: `W9_TASKS` (100000), `W9_SUBSCRIBERS` (1000), `W9_RUNS` (5), `W9_DEMO` (the
/// worker-demo executable; default: next to this one), `W9_DIR` (the SQLite files; default the
/// temporary directory), `W9_WAIT` (seconds to wait for subscribers after the last completion, 120).
func runW9() async throws {
    let environment = ProcessInfo.processInfo.environment
    let taskCount = environmentInt("W9_TASKS", 100_000)
    let subscriberCount = environmentInt("W9_SUBSCRIBERS", 1000)
    let runs = max(1, environmentInt("W9_RUNS", 5))
    let wait = environmentInt("W9_WAIT", 120)
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("worker-demo").path
    let demo = environment["W9_DEMO"] ?? executable
    let directory = environment["W9_DIR"] ?? FileManager.default.temporaryDirectory.path
    guard FileManager.default.isExecutableFile(atPath: demo) else {
        say("no worker-demo at \(demo): build it (swift build -c release --product worker-demo) or set W9_DEMO")
        return
    }
    say("tasks \(taskCount) (echo, SQLite, worker-demo worker, 4 slots, its default prefetch 0), subscribers \(subscriberCount) on /api/events?events=task; runs: 1 warm-up + \(runs), each without then with subscribers; load \(loadAverage())")
    var plain: [Double] = []
    var loaded: [Double] = []
    var ratios: [Double] = []
    var p99s: [Double] = []
    var complete: [Int] = []
    for run in 0...runs {
        let label = run == 0 ? "warm-up" : "run \(run)"
        let without = try await w9Once(subscribers: 0, taskCount: taskCount, demo: demo, directory: directory, wait: wait)
        say("\(label), no subscribers: processed \(fixed(without.rate, 0)) tasks/s (first start to last completion \(fixed(without.serverRate, 0))); \(without.cpu); load \(loadAverage())")
        let with = try await w9Once(
            subscribers: subscriberCount, taskCount: taskCount, demo: demo, directory: directory, wait: wait)
        say("\(label), \(subscriberCount) subscribers: processed \(fixed(with.rate, 0)) tasks/s (first start to last completion \(fixed(with.serverRate, 0))), ratio \(fixed(with.rate / without.rate, 3)); \(with.deliverySummary); \(with.cpu); load \(loadAverage())")
        for problem in without.problems + with.problems { say("  PROBLEM: \(problem)") }
        if run > 0 {
            plain.append(without.rate)
            loaded.append(with.rate)
            ratios.append(with.rate / without.rate)
            p99s.append(with.p99)
            complete.append(with.completeSubscribers)
        }
    }
    say("W4 in worker-demo, no subscribers: \(rateSummary(plain))")
    say("with \(subscriberCount) subscribers: \(rateSummary(loaded))")
    say("ratio (per run pair): \(ratioSummary(ratios)) (goal >= 0.8)")
    say("p99 delivery latency: median \(fixed(median(p99s), 1)) ms (min \(fixed(p99s.min()!, 1)), max \(fixed(p99s.max()!, 1))) (goal < 100 ms)")
    say("subscribers with every event in order: \(complete.map(String.init).joined(separator: ", ")) of \(subscriberCount) per run")
}

private struct W9Figures {
    var rate: Double
    var serverRate: Double
    var problems: [String] = []
    var completeSubscribers = 0
    var p50 = 0.0
    var p99 = 0.0
    var latencyMax = 0.0
    var deliverySummary = ""
    var cpu = ""
}

private func w9Once(subscribers: Int, taskCount: Int, demo: String, directory: String, wait: Int) async throws -> W9Figures {
    let path = "\(directory)/w9-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sqlite"
    defer { for suffix in ["", "-wal", "-shm", ".log"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
    try await w9Preload(path: path, taskCount: taskCount)

    let port = try freeLoopbackPort()
    let pid = try spawnProcess(demo, ["worker", "--store", "sqlite:\(path)", "--port", String(port)], output: path + ".log")
    var exited = false
    defer {
        if !exited {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }
    try await waitUntil(seconds: 30, "worker-demo answers /health") { (try? httpRequest(port: port, "GET", "/health"))?.status == 200 }

    var client: SSESubscribers?
    if subscribers > 0 {
        let made = SSESubscribers(count: subscribers, port: port, path: "/api/events?events=task", expectedTaskEvents: 2 * taskCount)
        try made.start()
        try await waitUntil(seconds: 60, "\(subscribers) subscribers connected") { made.allConnected }
        client = made
    }

    let clientCPUAtResume = processCPUSeconds()
    let serverCPUAtResume = childCPUSeconds(pid)
    let resumedAt = wallMicroseconds()
    let resume = try httpRequest(port: port, "POST", "/api/queues/default/resume")
    guard resume.status == 200 else { throw BenchError("resume answered \(resume.status): \(resume.body)") }
    try await waitUntil(seconds: 3600, "the last task completed", every: .milliseconds(20)) {
        (try? httpRequest(port: port, "GET", "/api/tasks/\(taskCount)"))?.body.contains("\"status\":\"completed\"") == true
    }
    try await waitUntil(seconds: 600, "every task completed", every: .milliseconds(50)) {
        guard let answer = try? httpRequest(port: port, "GET", "/api/queues/default"),
            let object = try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any],
            let counts = object["counts"] as? [String: Any]
        else { return false }
        return (counts["completed"] as? Int) == taskCount
    }
    let processedAt = Date().timeIntervalSince1970

    var figures = W9Figures(rate: 0, serverRate: 0)
    if let client {
        // Wait until every subscriber has everything or has ended, or nothing moved for 10 s.
        var lastTotal = -1
        var lastMove = Date()
        while !client.allDone, Date().timeIntervalSince1970 - processedAt < Double(wait) {
            let total = client.totalTaskEvents
            if total != lastTotal {
                lastTotal = total
                lastMove = Date()
            } else if Date().timeIntervalSince(lastMove) > 10 {
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let deliveredAt = Date().timeIntervalSince1970
        client.stop()
        figures.p50 = client.latencyPercentile(0.50)
        figures.p99 = client.latencyPercentile(0.99)
        figures.latencyMax = client.state.withLock { $0.latencyMax }
        let expected = 2 * taskCount
        client.state.withLock { state in
            let reference = state.subscribers[0].hash
            let full = state.subscribers.filter {
                $0.taskEvents == expected && $0.outOfOrder == 0 && $0.hash == reference && !$0.overflowed
            }
            figures.completeSubscribers = state.referenceProblems.isEmpty && state.referenceStates.count == taskCount
                && state.referenceStates.values.allSatisfy({ $0 == 2 }) ? full.count : 0
            let overflowed = state.subscribers.filter(\.overflowed).count
            let outOfOrder = state.subscribers.filter { $0.outOfOrder > 0 }.count
            let notOK = state.subscribers.filter { $0.httpStatus != 200 }.count
            let events = state.subscribers.map(\.taskEvents)
            let silentGaps = state.subscribers.filter { !$0.overflowed && $0.taskEvents < expected }.count
            figures.deliverySummary =
                "delivered \(events.reduce(0, +)) task events of \(expected * state.subscribers.count) "
                + "(per subscriber min \(events.min()!), max \(events.max()!)) in \(fixed(deliveredAt - Double(resumedAt) / 1e6, 2)) s "
                + "from the resume, \(fixed(Double(state.bytes) / 1e6, 0)) MB; subscribers complete and in order \(figures.completeSubscribers), "
                + "overflowed \(overflowed), out of order \(outOfOrder), non-200 \(notOK), ended short without overflow \(silentGaps); "
                + "latency p50 \(fixed(figures.p50, 1)) ms, p99 \(fixed(figures.p99, 1)) ms, max \(fixed(figures.latencyMax, 1)) ms "
                + "over \(state.latencyCount) deliveries"
            if outOfOrder > 0 { figures.problems.append("\(outOfOrder) subscribers got events out of order") }
            if silentGaps > 0 { figures.problems.append("\(silentGaps) subscribers ended short of \(expected) task events without an overflow event") }
            figures.problems += state.referenceProblems.map { "first subscriber: \($0)" }
        }
    }

    figures.cpu = "CPU from the resume: worker-demo \(fixed(childCPUSeconds(pid) - serverCPUAtResume, 1)) s, subscribers' process \(fixed(processCPUSeconds() - clientCPUAtResume, 1)) s"
    kill(pid, SIGTERM)
    try await waitUntil(seconds: 20, "worker-demo exits") {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid
    }
    exited = true

    let store = try SQLiteTaskStore(path: path)
    let records = try await allTasks(store)
    figures.problems += completionProblems(records, expected: taskCount)
    let lastCompletion = records.compactMap(\.completedAt).map(microseconds).max() ?? 0
    let firstStart = records.compactMap(\.startedAt).map(microseconds).min() ?? 0
    figures.rate = Double(taskCount) / (Double(lastCompletion - resumedAt) / 1e6)
    figures.serverRate = Double(taskCount) / (Double(lastCompletion - firstStart) / 1e6)
    return figures
}

/// Fills a new SQLite file with `taskCount` echo tasks in the paused default queue.
private func w9Preload(path: String, taskCount: Int) async throws {
    let store = try SQLiteTaskStore(path: path)
    _ = try await store.updateQueue(QueueName.defaultName, QueueUpdate(paused: true), now: Date())
    try await pushTasks(Array(repeating: NewTask(type: "echo"), count: taskCount), into: store)
    try await store.checkpoint()
}

/// Polls `condition` every `every` until it holds, or throws after `seconds`.
func waitUntil(
    seconds: Double, _ what: String, every: Duration = .milliseconds(20), _ condition: () async throws -> Bool
) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while try await !condition() {
        guard Date() < deadline else { throw BenchError("timed out after \(seconds) s waiting until \(what)") }
        try await Task.sleep(for: every)
    }
}

/// A loopback port that was free a moment ago.
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw BenchError("cannot bind a loopback port: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Starts `executable` with `arguments`, its stdout and stderr appended to `output`.
func spawnProcess(_ executable: String, _ arguments: [String], output: String) throws -> pid_t {
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for pointer in argv + envp { free(pointer) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    var pid: pid_t = 0
    let result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
    guard result == 0 else { throw BenchError("cannot start \(executable): error \(result)") }
    return pid
}

/// One HTTP/1.1 request on a new connection (`Connection: close`); the status and the body.
func httpRequest(port: Int, _ method: String, _ path: String, body: String = "") throws -> (status: Int, body: String) {
    let fd = try connectLoopback(port: port)
    defer { close(fd) }
    var timeout = timeval(tv_sec: 30, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let request = Array(
        ("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)").utf8)
    var sent = 0
    while sent < request.count {
        let count = request.withUnsafeBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
        guard count > 0 else { throw BenchError("send failed: errno \(errno)") }
        sent += count
    }
    var response: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count <= 0 { break }
        response += chunk[0..<count]
    }
    let text = String(decoding: response, as: UTF8.self)
    guard let headEnd = text.range(of: "\r\n\r\n") else { throw BenchError("no HTTP response from \(path)") }
    let status = Int(text[..<headEnd.lowerBound].split(separator: " ").dropFirst().first ?? "") ?? 0
    return (status, String(text[headEnd.upperBound...]))
}

/// User plus system CPU seconds of this process so far.
private func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// User plus system CPU seconds of a running child, from `/proc/PID/stat` (fields 14 and 15).
private func childCPUSeconds(_ pid: pid_t) -> Double {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = text.lastIndex(of: ")")
    else { return 0 }
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}
