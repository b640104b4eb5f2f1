import Foundation
import Scheduling
import TaskCore
import Testing
import WorkerAPI

extension GatewayServiceBackend {
    func listQueues() async throws(TaskCoreError) -> [QueueInfo] { try await service.listQueues() }
    func queue(_ name: String) async throws(TaskCoreError) -> QueueInfo { try await service.queue(name) }
    func updateQueue(_ name: String, _ update: QueueUpdate) async throws(TaskCoreError) -> QueueInfo {
        try await service.updateQueue(name, update)
    }
}

/// The queue fields of API.md section 11 through the gateway.
@Suite(.timeLimit(.minutes(1)))
struct GatewayQueueTests {
    @Test func queuesCanBeReadChangedPausedAndResumed() async {
        let client = GatewayClient(backend: GatewayTestBackend.make())
        let created = await client.post(
            #"mutation { createTask(input: {type: "email", queue: "mail", concurrencyKey: "c1"}) { queue concurrencyKey } }"#)
        #expect(created.data?["createTask"] == ["queue": "mail", "concurrencyKey": "c1"])
        let updated = await client.post(
            #"mutation { updateQueue(name: "mail", input: {concurrency: 2, rateLimit: {limit: 5, periodMs: 1000}}) { name concurrency perKeyConcurrency rateLimit { limit periodMs } } }"#)
        #expect(updated.errors.isEmpty)
        #expect(updated.data?["updateQueue"]?["concurrency"] == 2)
        #expect(updated.data?["updateQueue"]?["rateLimit"] == ["limit": 5, "periodMs": 1000])
        let paused = await client.post(#"mutation { pauseQueue(name: "mail") { paused } }"#)
        #expect(paused.data?["pauseQueue"]?["paused"] == true)
        let listed = await client.post("{ queues { name paused counts { pending blocked } oldestReadyAt } }")
        #expect(listed.data?["queues"]?[0]?["name"] == "mail")
        #expect(listed.data?["queues"]?[0]?["counts"] == ["pending": 1, "blocked": 0])
        let resumed = await client.post(#"mutation { resumeQueue(name: "mail") { paused } }"#)
        #expect(resumed.data?["resumeQueue"]?["paused"] == false)
        let bad = await client.post(#"mutation { updateQueue(name: "mail", input: {concurrency: 0}) { name } }"#)
        #expect(bad.errors.first?["message"] == "concurrency: 0 is out of range 1-10000")
        #expect(bad.errors.first?["extensions"]?["code"] == "BAD_REQUEST")
        let badName = await client.post(#"{ queue(name: "no spaces") { name } }"#)
        #expect(badName.errors.first?["extensions"]?["code"] == "BAD_REQUEST")
    }
}
