import Foundation
import SQLiteStore
import TaskCore
import Testing

/// Runs one long pseudo-random sequence of operations against `InMemoryTaskStore` (the reference)
/// and `SQLiteTaskStore`, and checks that every answer, error and final state is the same.
@Suite struct SQLiteDifferentialTests {
    /// SplitMix64, so that every run does the same operations.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    /// An answer of either store, in a comparable form.
    enum Answer: Hashable {
        case value(AnyHashable)
        case error(TaskCoreError.Code, String)
    }

    static func answer<T: Hashable>(_ body: () async throws(TaskCoreError) -> T) async -> Answer {
        do {
            return .value(AnyHashable(try await body()))
        } catch {
            return .error(error.code, error.message)
        }
    }

    @Test(.timeLimit(.minutes(1)), arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func sqliteAnswersEverythingLikeTheInMemoryStore(seed: UInt64) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let memory = InMemoryTaskStore(configuration: .init(maxLogLinesPerTask: 6, maxLogBytesPerTask: 400))
        let sqlite = try SQLiteTaskStore(
            path: directory.path("tasks.sqlite"),
            configuration: SQLiteConfiguration(maxLogLinesPerTask: 6, maxLogBytesPerTask: 400))
        var random = Generator(state: seed)
        var clock = Date(timeIntervalSince1970: 1_800_000_000.123_456)
        let types = ["email", "backup", "report"]
        var leases: [TaskID: Int64] = [:]
        var taskCount: Int64 = 0
        var jobCount: Int64 = 0

        var successes: [String: Int] = [:]
        @discardableResult
        func both(_ operation: String, _ body: (any TaskStorePruning) async throws(TaskCoreError) -> AnyHashable) async -> Bool {
            let a = await Self.answer { () throws(TaskCoreError) in try await body(memory) }
            let b = await Self.answer { () throws(TaskCoreError) in try await body(sqlite) }
            #expect(a == b, "\(operation) differs")
            guard case .value = a else { return false }
            successes[operation, default: 0] += 1
            return true
        }

        for step in 0..<1000 {
            clock = clock.addingTimeInterval(Double(random.below(4000)) / 1000)
            let now = clock
            // Mostly tasks this test holds a lease on, with their token; sometimes any id and token.
            let held = leases.keys.sorted()
            let id = !held.isEmpty && random.below(3) != 0
                ? held[random.below(held.count)] : TaskID(Int64(1 + random.below(Int(max(taskCount, 1)) + 1)))
            let token = random.below(8) == 0 ? Int64(random.below(3)) : leases[id] ?? Int64(random.below(3))
            switch random.below(16) {
            case 0, 1, 2:
                let draft = NewTask(
                    type: types[random.below(3)], payload: ["n": .integer(Int64(step)), "s": "a\"b\\c\u{1}é"],
                    priority: Priority(rawValue: [1, 5, 10, 20][random.below(4)])!, maxAttempts: 1 + random.below(3),
                    delay: random.below(3) == 0 ? .milliseconds(random.below(5000)) : nil,
                    timeout: random.below(2) == 0 ? .milliseconds(1500) : nil,
                    uniqueKey: random.below(4) == 0 ? "key-\(random.below(3))" : nil)
                await both("create") { (store) throws(TaskCoreError) in
                    AnyHashable(try await store.createTask(draft, now: now))
                }
                taskCount += 1
            case 3, 4:
                let claimTypes = Set(types.filter { _ in random.below(3) != 0 })
                let limit = 1 + random.below(4)
                var claimed: [TaskRecord] = []
                await both("claim") { (store) throws(TaskCoreError) in
                    claimed = try await store.claimTasks(
                        types: claimTypes, worker: "w", limit: limit, leaseDuration: .seconds(5), now: now)
                    return AnyHashable(claimed)
                }
                for task in claimed { leases[task.id] = task.lease!.token }
            case 5:
                let result: JSONValue? = random.below(2) == 0 ? nil : ["ok": true, "x": 1.5]
                if await both("complete", { (store) throws(TaskCoreError) in
                    AnyHashable(try await store.completeTask(id, token: token, result: result, now: now))
                }) {
                    leases[id] = nil
                }
            case 6:
                let retryAt = random.below(2) == 0 ? now.addingTimeInterval(2.5) : nil
                if await both("fail", { (store) throws(TaskCoreError) in
                    AnyHashable(try await store.failTask(id, token: token, error: "boom \(step)", retryAt: retryAt, now: now))
                }) {
                    leases[id] = nil
                }
            case 7:
                if await both("cancel", { (store) throws(TaskCoreError) in
                    AnyHashable(try await store.cancelTask(id, now: now))
                }) {
                    leases[id] = nil
                }
            case 8:
                if await both("release", { (store) throws(TaskCoreError) in
                    AnyHashable(try await store.releaseTask(id, token: token, now: now))
                }) {
                    leases[id] = nil
                }
            case 9:
                let reset = random.below(2) == 0
                await both("retry") { (store) throws(TaskCoreError) in
                    AnyHashable(try await store.retryTask(id, resetAttempts: reset, now: now))
                }
            case 10:
                let progress = random.below(120)
                await both("progress") { (store) throws(TaskCoreError) in
                    try await store.reportProgress(id, token: token, progress: progress, now: now)
                    return AnyHashable(0)
                }
                let until = now.addingTimeInterval(5)
                await both("renew") { (store) throws(TaskCoreError) in
                    AnyHashable(try await store.renewLease(id, token: token, until: until, now: now))
                }
            case 11:
                let withToken = random.below(2) == 0
                await both("appendLog") { (store) throws(TaskCoreError) in
                    try await store.appendLog(
                        id, token: withToken ? token : nil, level: .info, message: "line \(step) ünïcode", now: now)
                    return AnyHashable(0)
                }
            case 12:
                await both("recover") { (store) throws(TaskCoreError) in
                    AnyHashable(try await store.recoverExpiredLeases(now: now))
                }
            case 13:
                if jobCount < 3 || random.below(3) == 0 {
                    let draft = NewJob(
                        name: "job \(jobCount)", type: types[random.below(3)], schedule: "*/\(1 + random.below(3)) * * * *",
                        catchUp: random.below(2) == 0 ? .once : .skip)
                    await both("createJob") { (store) throws(TaskCoreError) in
                        AnyHashable(try await store.createJob(draft, now: now))
                    }
                    jobCount += 1
                } else {
                    let jobID = JobID(Int64(1 + random.below(Int(jobCount) + 1)))
                    switch random.below(4) {
                    case 0:
                        await both("pause") { (store) throws(TaskCoreError) in AnyHashable(try await store.pauseJob(jobID, now: now)) }
                    case 1:
                        await both("resume") { (store) throws(TaskCoreError) in AnyHashable(try await store.resumeJob(jobID, now: now)) }
                    case 2:
                        await both("trigger") { (store) throws(TaskCoreError) in AnyHashable(try await store.triggerJob(jobID, now: now)) }
                    default:
                        await both("update") { (store) throws(TaskCoreError) in
                            AnyHashable(try await store.updateJob(jobID, JobUpdate(schedule: "*/2 * * * *"), now: now))
                        }
                    }
                }
            case 14:
                let grace = Duration.milliseconds(random.below(3000))
                await both("fireDueJobs") { (store) throws(TaskCoreError) in
                    AnyHashable(try await store.fireDueJobs(now: now, limit: 10, misfireGrace: grace))
                }
                taskCount += 3
            default:
                let cutoff = now.addingTimeInterval(-Double(random.below(20)))
                await both("prune") { (store) throws(TaskCoreError) in
                    AnyHashable(try await store.pruneFinishedTasks(completedBefore: cutoff))
                }
            }
            if step % 50 == 49 {
                await both("stats") { (store) throws(TaskCoreError) in AnyHashable(try await store.stats()) }
                let readyTypes = Set(types.prefix(2))
                await both("nextReadyTime") { (store) throws(TaskCoreError) in
                    AnyHashable(try await store.nextReadyTime(types: readyTypes))
                }
                await both("nextJobFireTime") { (store) throws(TaskCoreError) in
                    AnyHashable(try await store.nextJobFireTime())
                }
                await both("listJobs") { (store) throws(TaskCoreError) in AnyHashable(try await store.listJobs()) }
            }
        }
        // The run did real work, not only errors.
        for operation in ["create", "claim", "complete", "fail", "cancel", "release", "retry", "progress", "renew",
            "appendLog", "recover", "createJob", "fireDueJobs", "prune"]
        {
            #expect(successes[operation, default: 0] > 0, "no successful \(operation)")
        }
        #expect(try await memory.listJobs().contains { $0.runCount > 0 })
        // The final state, task by task.
        for raw in 1...(taskCount + 1) {
            let id = TaskID(raw)
            await both("task \(raw)") { (store) throws(TaskCoreError) in AnyHashable(try await store.task(id)) }
            await both("logs \(raw)") { (store) throws(TaskCoreError) in AnyHashable(try await store.logs(id, limit: 1000)) }
        }
        for query in [
            TaskQuery(), TaskQuery(statuses: [.completed, .failed]), TaskQuery(type: "email", limit: 7, offset: 3),
            TaskQuery(statuses: [.pending], type: "backup"),
        ] {
            await both("list \(query)") { (store) throws(TaskCoreError) in AnyHashable(try await store.listTasks(query)) }
        }
    }
}

extension SQLiteDifferentialTests.Answer: CustomStringConvertible {
    var description: String {
        switch self {
        case .value(let value): String(reflecting: value)
        case .error(let code, let message): "error \(code): \(message)"
        }
    }
}
