import Foundation
import Scheduling
import TaskCore
import Testing
import WorkerAPI

/// The queue endpoints of API.md section 5, on a real service over the in-memory store.
@Suite(.timeLimit(.minutes(1)))
struct RESTQueueRoutesTests {
    let router = RESTRouter(backend: WorkerService(store: InMemoryTaskStore()), options: .init(storeKind: "memory"))

    func send(_ method: String, _ target: String, _ body: String? = nil) async -> RESTAnswer {
        let headers: [(name: String, value: String)] = body == nil ? [] : [("Content-Type", "application/json")]
        return RESTAnswer(
            response: await router.respond(
                to: RESTRequest(method: method, target: target, headers: headers, body: Array((body ?? "").utf8))))
    }

    @Test func anUnknownQueueAnswersWithDefaults() async {
        let answer = await send("GET", "/api/queues/emails")
        #expect(answer.status == 200)
        #expect(answer.json["name"] == "emails" && answer.json["paused"] == false)
        #expect(answer.json["concurrency"] == .null && answer.json["rateLimit"] == .null)
        #expect(answer.json["updatedAt"] == .null && answer.json["oldestReadyAt"] == .null)
        let counts = answer.json["counts"]?.objectValue ?? [:]
        #expect(Set(counts.keys) == ["pending", "processing", "retrying", "blocked", "completed", "failed", "cancelled"])
    }

    @Test func patchSetsAndNullClears() async {
        let set = await send(
            "PATCH", "/api/queues/emails", #"{"concurrency":5,"perKeyConcurrency":1,"rateLimit":{"limit":100,"periodMs":60000}}"#)
        #expect(set.status == 200)
        #expect(set.json["concurrency"] == 5 && set.json["perKeyConcurrency"] == 1)
        #expect(set.json["rateLimit"] == ["limit": 100, "periodMs": 60000])
        #expect(set.json["updatedAt"] != .null)
        let cleared = await send("PATCH", "/api/queues/emails", #"{"rateLimit":null,"concurrency":null}"#)
        #expect(cleared.json["rateLimit"] == .null && cleared.json["concurrency"] == .null)
        #expect(cleared.json["perKeyConcurrency"] == 1)
    }

    @Test(arguments: [
        (#"{"concurrency":0}"#, "concurrency: 0 is out of range 1-10000"),
        (#"{"perKeyConcurrency":10001}"#, "perKeyConcurrency: 10001 is out of range 1-10000"),
        (#"{"rateLimit":{"limit":0,"periodMs":1000}}"#, "rateLimit.limit: 0 is out of range 1-1000000"),
        (#"{"rateLimit":{"limit":1,"periodMs":86400001}}"#, "rateLimit.periodMs: 86400001 is out of range 1-86400000"),
        (#"{"rateLimit":{"limit":1}}"#, "rateLimit.periodMs: required field is missing"),
        (#"{"rateLimit":5}"#, #"rateLimit: expected an object {"limit", "periodMs"} or null, found number"#),
        (#"{"paused":true}"#, "paused: unknown field, expected one of concurrency, perKeyConcurrency, rateLimit"),
    ])
    func badSettingsAre400sNamingFieldValueAndRange(body: String, message: String) async {
        let answer = await send("PATCH", "/api/queues/emails", body)
        #expect(answer.status == 400)
        #expect(answer.json["message"]?.stringValue == message)
    }

    @Test func invalidNamesAre400s() async {
        for target in ["/api/queues/bad%20name", "/api/queues/bad!/pause", "/api/queues/\(String(repeating: "q", count: 101))"] {
            let answer = await send("GET", target)
            let paused = await send("POST", target.hasSuffix("/pause") ? target : target + "/pause")
            #expect(answer.status == 400 || paused.status == 400, "\(target)")
        }
        let body = await send("POST", "/api/tasks", #"{"type":"email","queue":"no spaces"}"#)
        #expect(body.status == 400)
        #expect(body.json["message"]?.stringValue?.hasPrefix("queue: \"no spaces\"") == true)
    }

    @Test func pauseResumeAndListing() async {
        _ = await send("POST", "/api/tasks", #"{"type":"email","queue":"b","concurrencyKey":"k"}"#)
        let paused = await send("POST", "/api/queues/a/pause")
        #expect(paused.status == 200 && paused.json["paused"] == true)
        #expect((await send("POST", "/api/queues/a/pause")).json["paused"] == true)
        let list = await send("GET", "/api/queues")
        #expect(list.json["total"] == 2)
        #expect(list.json["queues"]?.arrayValue?.map { $0["name"] } == ["a", "b"])
        #expect(list.json["queues"]?[1]?["counts"]?["pending"] == 1)
        #expect((await send("POST", "/api/queues/a/resume")).json["paused"] == false)
        let task = await send("GET", "/api/tasks/1")
        #expect(task.json["queue"] == "b" && task.json["concurrencyKey"] == "k")
    }
}
