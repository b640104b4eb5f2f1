import Foundation
import GraphQLLite
import Synchronization

// W2 of WORKLOADS.md: parse / validate / execute on its small task schema with 100 tasks and 10 jobs.

/// A task of the W2 data set (a class, so lists hand out references).
private final class W2Task: Sendable {
    let id: String, type: String, status: String, priority: Int, payload: String?, error: String?, createdAt: String
    init(_ i: Int) {
        let k = (i - 1) % 4
        id = String(i)
        type = ["email", "report", "sync", "cleanup"][k]
        status = ["pending", "running", "completed", "failed"][k]
        priority = [1, 5, 10, 20][k]
        payload = "{\"n\":\(i)}"
        error = status == "failed" ? "boom \(i)" : nil
        createdAt = String(format: "2025-01-01T00:%02d:%02dZ", (i - 1) / 60, (i - 1) % 60)
    }
}

/// A job of the W2 data set.
private final class W2Job: Sendable {
    let id: String, name: String, schedule: String, status: String, lastRun: String?, nextRun: String?
    init(_ i: Int) {
        id = String(i)
        name = "job-\(i)"
        schedule = "*/\(i) * * * *"
        status = i % 2 == 0 ? "paused" : "active"
        lastRun = i % 3 == 0 ? nil : "2025-01-01T00:00:00Z"
        nextRun = String(format: "2025-01-01T00:%02d:00Z", i)
    }
}

private struct W2TaskList: Sendable {
    let tasks: [W2Task]
    let total: Int
}

/// The in-memory store, behind a lock; every root resolver takes it once.
private final class W2Store: Sendable {
    private struct State {
        var tasks: [W2Task]
        var statuses: [String: String] = [:]
        var jobs: [W2Job]
    }
    private let state = Mutex(State(tasks: (1...100).map(W2Task.init), jobs: (1...10).map(W2Job.init)))

    func tasks(status: String?, limit: Int?) -> W2TaskList {
        state.withLock { state in
            let filtered = status.map { wanted in state.tasks.filter { $0.status == wanted } } ?? state.tasks
            return W2TaskList(tasks: limit.map { Array(filtered.prefix($0)) } ?? filtered, total: filtered.count)
        }
    }

    func task(id: String) -> W2Task? { state.withLock { state in state.tasks.first { $0.id == id } } }
    func jobs() -> [W2Job] { state.withLock { $0.jobs } }
    func job(id: String) -> W2Job? { state.withLock { state in state.jobs.first { $0.id == id } } }

    func cancel(id: String) -> Bool {
        state.withLock { state in
            guard let task = state.tasks.first(where: { $0.id == id }) else { return false }
            let status = state.statuses[id] ?? task.status
            guard status == "pending" || status == "running" else { return false }
            state.statuses[id] = "cancelled"
            return true
        }
    }
}

private func w2Schema(store: W2Store) throws -> GraphQLSchema {
    let task = GraphQLObjectType("Task", fields: [
        GraphQLField("id", .nonNull(.id)) { (task: W2Task, _, _: Void) in task.id },
        GraphQLField("type", .nonNull(.string)) { (task: W2Task, _, _: Void) in task.type },
        GraphQLField("status", .nonNull(.string)) { (task: W2Task, _, _: Void) in task.status },
        GraphQLField("priority", .nonNull(.int)) { (task: W2Task, _, _: Void) in task.priority },
        GraphQLField("payload", .string) { (task: W2Task, _, _: Void) in task.payload },
        GraphQLField("error", .string) { (task: W2Task, _, _: Void) in task.error },
        GraphQLField("createdAt", .nonNull(.string)) { (task: W2Task, _, _: Void) in task.createdAt },
    ])
    let taskList = GraphQLObjectType("TaskList", fields: [
        GraphQLField("tasks", .nonNull(.list(.nonNull("Task")))) { (list: W2TaskList, _, _: Void) in list.tasks },
        GraphQLField("total", .nonNull(.int)) { (list: W2TaskList, _, _: Void) in list.total },
    ])
    let job = GraphQLObjectType("Job", fields: [
        GraphQLField("id", .nonNull(.id)) { (job: W2Job, _, _: Void) in job.id },
        GraphQLField("name", .nonNull(.string)) { (job: W2Job, _, _: Void) in job.name },
        GraphQLField("schedule", .nonNull(.string)) { (job: W2Job, _, _: Void) in job.schedule },
        GraphQLField("status", .nonNull(.string)) { (job: W2Job, _, _: Void) in job.status },
        GraphQLField("lastRun", .string) { (job: W2Job, _, _: Void) in job.lastRun },
        GraphQLField("nextRun", .string) { (job: W2Job, _, _: Void) in job.nextRun },
    ])
    let query = GraphQLObjectType("Query", fields: [
        GraphQLField("tasks", .nonNull("TaskList"), arguments: [GraphQLArgument("status", .string), GraphQLArgument("limit", .int)]) {
            (args, _: Void) in store.tasks(status: args.string("status"), limit: args.int("limit"))
        },
        GraphQLField("task", "Task", arguments: [GraphQLArgument("taskId", .nonNull(.id))]) { (args, _: Void) in
            store.task(id: args.string("taskId") ?? "")
        },
        GraphQLField("jobs", .nonNull(.list(.nonNull("Job")))) { (_, _: Void) in store.jobs() },
        GraphQLField("job", "Job", arguments: [GraphQLArgument("jobId", .nonNull(.id))]) { (args, _: Void) in
            store.job(id: args.string("jobId") ?? "")
        },
    ])
    let mutation = GraphQLObjectType("Mutation", fields: [
        GraphQLField("cancelTask", .nonNull(.boolean), arguments: [GraphQLArgument("taskId", .nonNull(.id))]) { (args, _: Void) in
            store.cancel(id: args.string("taskId") ?? "")
        },
    ])
    return try GraphQLSchema(query: query, mutation: mutation, types: [task, taskList, job])
}

func runW2GraphQL() async throws {
    let q1 = "query { tasks { tasks { id type status createdAt } total } }"
    let q2 = "query { task(taskId: \"1\") { id type status payload error } }"
    let q3 = "query { jobs { id name schedule status nextRun } }"
    let schema = try w2Schema(store: W2Store())
    // No document cache: every iteration parses and validates again, as the workload asks.
    let engine = GraphQLEngine(schema: schema, cache: nil)
    // Measurement plumbing (defaults are the workload's): W2_ITERATIONS per run, W2_RUNS measured runs,
    // W2_ONLY=a|b|c|d|extra to run one measurement (e.g. under callgrind with few iterations).
    let environment = ProcessInfo.processInfo.environment
    let iterations = environment["W2_ITERATIONS"].flatMap { Int($0) }.map { max(1, $0) } ?? 2000
    let runs = environment["W2_RUNS"].flatMap { Int($0) }.map { max(1, $0) } ?? 7
    let only = environment["W2_ONLY"]
    func wanted(_ key: String) -> Bool { only == nil || only == key }

    // Check the answers once, outside timing.
    for (name, query) in [("Q1", q1), ("Q2", q2), ("Q3", q3)] {
        let response = await engine.execute(query)
        guard response.errors.isEmpty, let data = response.data else {
            print("\(name) failed: \(response.jsonString())")
            return
        }
        print("\(name) ok, \(data.jsonBytes().count) bytes of data")
    }

    func report(_ label: String, _ seconds: [Double]) {
        let perOp = seconds.map { $0 / Double(iterations) * 1e6 }
        print("  \(label): median \(fixed(median(perOp), 2)) µs, min \(fixed(perOp.min() ?? 0, 2)) µs, max \(fixed(perOp.max() ?? 0, 2)) µs per operation")
        if !w2CPUSeconds.isEmpty {
            let cpu = w2CPUSeconds.map { $0 / Double(iterations) * 1e6 }
            print("      process CPU time: median \(fixed(median(cpu), 2)) µs, min \(fixed(cpu.min() ?? 0, 2)) µs")
            w2CPUSeconds = []
        }
    }

    var sink = 0
    if wanted("a") {
        let parseOnly = try measure(runs: runs) {
            for _ in 0..<iterations { sink &+= try GraphQLDocument(parsing: q1).operationNames.count }
        }
        report("(a) parse Q1", parseOnly)
    }
    for (key, label, query) in [("b", "(b) parse+validate+execute Q1", q1), ("c", "(c) parse+validate+execute Q2", q2), ("d", "(d) parse+validate+execute Q3", q3)] where wanted(key) {
        let seconds = try await measureAsync(runs: runs) {
            for _ in 0..<iterations {
                let document = try engine.parse(query)
                guard engine.validate(document).isEmpty else { throw GraphQLError("invalid") }
                let response = await engine.execute(document: document)
                sink &+= response.errors.count
            }
        }
        report(label, seconds)
    }
    // Breakdown (not part of the workload's figures): validation alone, and execution of a cached document.
    if wanted("extra") {
        let document = try engine.parse(q1)
        let validateOnly = measure(runs: runs) {
            for _ in 0..<iterations { sink &+= engine.validate(document).count }
        }
        report("(extra) validate only Q1", validateOnly)
        let executeOnly = await measureAsync(runs: runs) {
            for _ in 0..<iterations { sink &+= await engine.execute(document: document).errors.count }
        }
        report("(extra) execute only Q1 (cached document)", executeOnly)
    }
    if sink == -1 { print(sink) }
}

/// `measure` for async bodies: one warm-up, then `runs` timed runs (wall clock).
private func measureAsync(runs: Int = 7, _ body: () async throws -> Void) async rethrows -> [Double] {
    try await body()
    var seconds: [Double] = []
    for _ in 0..<runs {
        let start = ContinuousClock.now
        let cpuStart = processCPUSeconds()
        try await body()
        let elapsed = ContinuousClock.now - start
        w2CPUSeconds.append(processCPUSeconds() - cpuStart)
        seconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
    return seconds
}

/// CPU seconds of the runs `measureAsync` timed last (the machine is shared, so CPU time is shown beside wall time).
nonisolated(unsafe) private var w2CPUSeconds: [Double] = []

private func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
