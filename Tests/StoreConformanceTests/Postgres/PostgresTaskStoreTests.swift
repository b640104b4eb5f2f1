import Foundation
@testable import PostgresStore
import TaskCore
import Testing

/// What only the PostgreSQL store has: migrations, notifications, several connections at once.
/// (The behaviour every store shares is checked by the conformance suite.)
@Suite(.enabled(if: PostgresTestServer.isAvailable, "no PostgreSQL server binaries on this machine"))
struct PostgresTaskStoreTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    @Test(.timeLimit(.minutes(1)))
    func createClaimCompleteRoundTrip() async throws {
        let store = try await PostgresTaskStore.connect(url: PostgresTestServer.freshSchemaURL())
        defer { store.close() }
        let created = try await store.createTask(
            NewTask(type: "email", payload: ["to": "a@b.c", "n": [1, 2]], priority: .high), now: now)
        #expect(created.created)
        #expect(created.task.id == TaskID(1))
        let claimed = try await store.claimTasks(
            types: ["email"], worker: "w1", limit: 10, leaseDuration: .seconds(30), now: now)
        #expect(claimed.map(\.id) == [created.task.id])
        let token = try #require(claimed.first?.lease?.token)
        let done = try await store.completeTask(created.task.id, token: token, result: ["ok": true], now: now + 1)
        #expect(done.status == .completed)
        #expect(done.result == ["ok": true])
        #expect(done.payload == ["to": "a@b.c", "n": [1, 2]])
        let logs = try await store.logs(created.task.id, limit: 100)
        #expect(logs.map(\.message) == [
            "created", "attempt 1 started", "completed in 1000 ms",
        ])
    }

    /// Sessions commit worker changes asynchronously by default; a user's change (a job created or
    /// deleted, one statement) must still wait for the flush.
    @Test(.timeLimit(.minutes(1)))
    func userStatementsCommitDurablyWhileWorkerCommitsDoNot() async throws {
        let store = try await PostgresTaskStore.connect(url: PostgresTestServer.freshSchemaURL())
        defer { store.close() }
        let session = try await store.query("SHOW synchronous_commit")
        #expect(session[0].string("synchronous_commit") == "off")
        let durable = try await store.durableStatement("SHOW synchronous_commit")
        #expect(durable[0].string("synchronous_commit") == "on")
    }

    /// A claim committed asynchronously can be lost in a server crash while its worker runs the task
    /// (torture seed 25). The next claim must fence that worker out: its token must differ.
    @Test(.timeLimit(.minutes(1)), arguments: [false, true])
    func aClaimLostInACrashDoesNotHandItsTokenOutAgain(limitedQueue: Bool) async throws {
        let url = try PostgresTestServer.freshSchemaURL()
        let store = try await PostgresTaskStore.connect(url: url)
        defer { store.close() }
        if limitedQueue {
            _ = try await store.updateQueue("q", QueueUpdate(concurrency: .some(1)), now: now)
        }
        let task = try await store.createTask(NewTask(type: "t", queue: "q"), now: now).task
        let lost = try #require(
            try await store.claimTasks(types: ["t"], worker: "w1", limit: 1, leaseDuration: .seconds(30), now: now).first)
        // What the server holds after losing that commit: the task as it was before the claim.
        try PostgresTestServer.psql(
            url,
            """
            UPDATE worker_tasks SET status = 'pending', attempts = 0, lease_token = 0, lease_worker = NULL,
                lease_expires = NULL, started_at = NULL WHERE id = \(task.id.rawValue)
            """)
        let again = try #require(
            try await store.claimTasks(types: ["t"], worker: "w2", limit: 1, leaseDuration: .seconds(30), now: now + 1)
                .first)
        #expect(again.lease?.token != lost.lease?.token)
        let fenced = await #expect(throws: TaskCoreError.self) {
            _ = try await store.completeTask(task.id, token: lost.lease?.token ?? 0, result: nil, now: now + 2)
        }
        #expect(fenced?.code == .leaseLost)
        let done = try await store.completeTask(task.id, token: again.lease?.token ?? 0, result: ["by": "w2"], now: now + 3)
        #expect(done.result == ["by": "w2"])
    }

    /// The server's clock, which `StoreAlignedClock` aligns every worker with (server and test run on one machine).
    @Test(.timeLimit(.minutes(1)))
    func theStoreTellsTheServersTime() async throws {
        let store = try await PostgresTaskStore.connect(url: PostgresTestServer.freshSchemaURL())
        defer { store.close() }
        let before = Date()
        let server = try await store.storeTime()
        #expect(server >= before.addingTimeInterval(-0.5) && server <= Date().addingTimeInterval(0.5))
    }

    @Test(.timeLimit(.minutes(1)))
    func newerSchemaVersionIsRefused() async throws {
        let url = try PostgresTestServer.freshSchemaURL()
        let store = try await PostgresTaskStore.connect(url: url)
        store.close()
        try PostgresTestServer.psql(url, "UPDATE worker_schema SET version = 99")
        let error = await #expect(throws: TaskCoreError.self) {
            _ = try await PostgresTaskStore.connect(url: url)
        }
        #expect(error?.code == .storageFailure)
        #expect(error?.message.contains("schema version 99") == true)
    }

    @Test(.timeLimit(.minutes(1)))
    func unreachableServerIsAClearError() async throws {
        let error = await #expect(throws: TaskCoreError.self) {
            _ = try await PostgresTaskStore.connect(url: "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
        }
        #expect(error?.code == .storageFailure)
        #expect(error?.message.hasPrefix("PostgreSQL: cannot connect") == true)
    }

    @Test(.timeLimit(.minutes(1)))
    func enqueueWakesListeners() async throws {
        let store = try await PostgresTaskStore.connect(url: PostgresTestServer.freshSchemaURL())
        defer { store.close() }
        // `connect` returns once the listener LISTENs, so a stream subscribed now gets no
        // connect wake-up: its first element is the enqueue's NOTIFY.
        let notifications = store.readyNotifications()
        var iterator = notifications.makeAsyncIterator()
        _ = try await store.createTask(NewTask(type: "email"), now: now)
        let woke: Void? = await iterator.next()
        #expect(woke != nil)
    }

    @Test(.timeLimit(.minutes(1)))
    func concurrentClaimersFromManyConnectionsTakeEachTaskOnce() async throws {
        let store = try await PostgresTaskStore.connect(
            url: PostgresTestServer.freshSchemaURL(), configuration: .init(maxConnections: 6))
        defer { store.close() }
        for index in 0..<300 {
            _ = try await store.createTask(NewTask(type: "t", payload: ["i": .integer(Int64(index))]), now: now)
        }
        let claimedIDs = try await withThrowingTaskGroup(of: [TaskID].self) { group in
            for worker in 0..<6 {
                group.addTask {
                    var mine: [TaskID] = []
                    while true {
                        let batch = try await store.claimTasks(
                            types: ["t"], worker: WorkerID("w\(worker)"), limit: 7, leaseDuration: .seconds(30),
                            now: now)
                        if batch.isEmpty { return mine }
                        mine += batch.map(\.id)
                    }
                }
            }
            var all: [TaskID] = []
            for try await ids in group { all += ids }
            return all
        }
        #expect(claimedIDs.count == 300)
        #expect(Set(claimedIDs).count == 300)
    }

    @Test(.timeLimit(.minutes(1)))
    func batchCreateKeepsOrderAndTheUniqueKeyRule() async throws {
        let store = try await PostgresTaskStore.connect(url: PostgresTestServer.freshSchemaURL())
        defer { store.close() }
        let existing = try await store.createTask(NewTask(type: "a", uniqueKey: "k"), now: now)
        let drafts = (0..<2500).map { NewTask(type: "b", payload: ["i": .integer(Int64($0))], priority: .low) }
            + [NewTask(type: "a", uniqueKey: "k"), NewTask(type: "c", jobId: JobID(7))]
        let results = try await store.createTasks(drafts, now: now)
        #expect(results.count == drafts.count)
        #expect(results.prefix(2500).map { $0.task.payload["i"] } == (0..<2500).map { JSONValue.integer(Int64($0)) })
        #expect(results.prefix(2500).allSatisfy { $0.created && $0.task.status == .pending && $0.task.priority == .low })
        #expect(results[2500] == CreatedTask(task: existing.task, created: false))
        #expect(results[2501].task.jobId == JobID(7))
        #expect(try await store.logs(results[2501].task.id, limit: 10).map(\.message) == ["created by job 7"])
        let invalid = await #expect(throws: TaskCoreError.self) {
            _ = try await store.createTasks([NewTask(type: "ok"), NewTask(type: "")], now: now)
        }
        #expect(invalid?.field == "tasks[1].type")  // the failing element is named, as for POST /api/batches
        #expect(try await store.stats().total == 2502)
    }

    @Test(.timeLimit(.minutes(1)))
    func batchCompletionFencesEachTaskOnItsOwn() async throws {
        let store = try await PostgresTaskStore.connect(url: PostgresTestServer.freshSchemaURL())
        defer { store.close() }
        for _ in 0..<3 { _ = try await store.createTask(NewTask(type: "t"), now: now) }
        let claimed = try await store.claimTasks(
            types: ["t"], worker: "w", limit: 3, leaseDuration: .seconds(30), now: now)
        let tokens = Dictionary(uniqueKeysWithValues: claimed.map { ($0.id, $0.lease!.token) })
        _ = try await store.cancelTask(2, now: now)
        let outcomes = try await store.completeTasks(
            [
                TaskCompletion(id: 1, token: tokens[1]!, result: ["n": 1]),
                TaskCompletion(id: 2, token: tokens[2]!, result: nil),
                TaskCompletion(id: 3, token: tokens[3]! + 1, result: nil),
                TaskCompletion(id: 99, token: 1, result: nil),
            ], now: now + 2)
        #expect(try outcomes[0].get().status == .completed)
        #expect(try outcomes[0].get().result == ["n": 1])
        for (index, code) in [(1, TaskCoreError.Code.leaseLost), (2, .leaseLost), (3, .notFound)] {
            guard case .failure(let error) = outcomes[index] else {
                Issue.record("completion \(index) should have failed")
                continue
            }
            #expect(error.code == code)
        }
        #expect(try await store.task(3).status == .processing)
        #expect(try await store.logs(1, limit: 10).last?.message == "completed in 2000 ms")
    }

    @Test(.timeLimit(.minutes(1)))
    func aConnectionTheServerClosedIsReplacedBeforeUse() async throws {
        let url = try PostgresTestServer.freshSchemaURL() + "&application_name=reconnect_test"
        let store = try await PostgresTaskStore.connect(
            url: url, configuration: .init(maxConnections: 1, listensForEnqueues: false))
        defer { store.close() }
        let created = try await store.createTask(NewTask(type: "t"), now: now)
        let claimed = try await store.claimTasks(types: ["t"], worker: "w1", limit: 1, leaseDuration: .seconds(30), now: now)
        let token = try #require(claimed.first?.lease?.token)
        // The server ends the idle pooled session (pg_terminate_backend, as a restart or an
        // administrator would), and the backend is gone before the next call.
        try PostgresTestServer.psql(
            PostgresTestServer.baseURL(),
            "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE application_name = 'reconnect_test'")
        // The pool sees the closed socket before sending anything and reconnects: the very next
        // call succeeds. (It used to fail with "server closed the connection unexpectedly": the
        // torture test, scripts/torture, saw workers lose completions that way, and the tasks ran
        // again once their leases ran out.)
        let done = try await store.completeTask(created.task.id, token: token, result: ["ok": true], now: now + 1)
        #expect(done.status == .completed)
        #expect(try await store.task(created.task.id).result == ["ok": true])
        // Twice in a row, through the same single connection.
        try PostgresTestServer.psql(
            PostgresTestServer.baseURL(),
            "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE application_name = 'reconnect_test'")
        #expect(try await store.stats().total == 1)
    }
}
