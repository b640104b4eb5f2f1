import Foundation
import TaskCore
import Testing
import WorkerAPI

@Suite struct RESTJobRoutesTests {
    static let backup = #"{"name":"Daily Backup","type":"backup","schedule":"0 0 * * *","payload":{}}"#

    @Test(.timeLimit(.minutes(1)))
    func createReturns201WithTheContractJobShape() async {
        let rest = RESTHarness()
        let answer = await rest.send("POST", "/api/jobs", body: Self.backup)
        #expect(answer.status == 201)
        let job = answer.json
        #expect(
            Set(job.objectValue?.keys.map { $0 } ?? []) == [
                "id", "name", "type", "schedule", "timezone", "payload", "priority", "status", "lastRun", "nextRun",
                "lastTaskId", "runCount", "catchUp", "createdAt", "updatedAt", "queue",
            ])
        #expect(job["id"] == "1")
        #expect(job["name"] == "Daily Backup")
        #expect(job["timezone"] == "UTC")
        #expect(job["status"] == "active")
        #expect(job["nextRun"] == "2026-11-30T00:00:00.000Z")
        #expect(job["lastRun"] == .null)
        #expect(job["runCount"] == 0)
        #expect(job["catchUp"] == "once")
    }

    @Test(.timeLimit(.minutes(1)))
    func fullLifecycle() async {
        let rest = RESTHarness()
        _ = await rest.send("POST", "/api/jobs", body: Self.backup)
        let list = await rest.send("GET", "/api/jobs")
        #expect(list.status == 200)
        #expect(list.json["total"] == 1)
        #expect(list.json["jobs"]?[0]?["id"] == "1")
        #expect((await rest.send("GET", "/api/jobs/1")).json["name"] == "Daily Backup")

        let patched = await rest.send("PATCH", "/api/jobs/1", body: #"{"schedule":"30 6 * * *","name":"Morning Backup"}"#)
        #expect(patched.status == 200)
        #expect(patched.json["name"] == "Morning Backup")
        #expect(patched.json["nextRun"] == "2026-11-29T06:30:00.000Z")

        for _ in 0..<2 {
            let paused = await rest.send("POST", "/api/jobs/1/pause")
            #expect(paused.status == 200)
            #expect(paused.json["status"] == "paused")
            #expect(paused.json["nextRun"] == .null)
        }
        for _ in 0..<2 {
            let resumed = await rest.send("POST", "/api/jobs/1/resume")
            #expect(resumed.status == 200)
            #expect(resumed.json["status"] == "active")
            #expect(resumed.json["nextRun"] == "2026-11-29T06:30:00.000Z")
        }

        let triggered = await rest.send("POST", "/api/jobs/1/trigger")
        #expect(triggered.status == 201)
        #expect(triggered.json["type"] == "backup")
        #expect(triggered.json["jobId"] == "1")
        #expect((await rest.send("GET", "/api/jobs/1")).json["runCount"] == 1)

        let deleted = await rest.send("DELETE", "/api/jobs/1")
        #expect(deleted.status == 204)
        #expect(deleted.response.body.isEmpty)
        await rest.send("GET", "/api/jobs/1").expectError(404, "Job 1 not found")
        await rest.send("DELETE", "/api/jobs/1").expectError(404, "Job 1 not found")
    }

    @Test(.timeLimit(.minutes(1)))
    func unknownJobIdsAre404Everywhere() async {
        let rest = RESTHarness()
        for (method, path) in [
            ("GET", "/api/jobs/9"), ("PATCH", "/api/jobs/9"), ("DELETE", "/api/jobs/9"), ("POST", "/api/jobs/9/pause"),
            ("POST", "/api/jobs/9/resume"), ("POST", "/api/jobs/9/trigger"),
        ] {
            await rest.send(method, path, body: method == "PATCH" ? #"{"name":"x"}"# : nil).expectError(404, "Job 9 not found")
        }
        await rest.send("GET", "/api/jobs/nightly").expectError(404, "Job nightly not found")
    }

    static let badJobs: [RESTBadRequest] = [
        .init(target: "/api/jobs", body: #"{"type":"backup","schedule":"0 0 * * *"}"#, message: "name: required field is missing"),
        .init(target: "/api/jobs", body: #"{"name":"b","type":"backup"}"#, message: "schedule: required field is missing"),
        .init(target: "/api/jobs", body: #"{"name":"b","type":"backup","schedule":"0 25 * * *"}"#, message: "25"),
        .init(target: "/api/jobs", body: #"{"name":"b","type":"backup","schedule":"0 0 * *"}"#, message: "found 4"),
        .init(target: "/api/jobs", body: #"{"name":"b","type":"backup","schedule":"0 0 * * *","timezone":"Mars/Base"}"#, message: "timezone: unknown time zone 'Mars/Base'"),
        .init(target: "/api/jobs", body: #"{"name":"b","type":"backup","schedule":"0 0 * * *","catchUp":"all"}"#, message: "catchUp: unknown value 'all', expected once or skip"),
        .init(target: "/api/jobs", body: #"{"name":"b","type":"backup","schedule":"0 0 * * *","priority":"max"}"#, message: "priority: 'max' is not a number"),
        .init(target: "/api/jobs", body: #"{"name":"b","type":"backup","schedule":"0 0 * * *","cron":"x"}"#, message: "cron: unknown field"),
        .init(target: "/api/jobs", body: #"{"name":" ","type":"backup","schedule":"0 0 * * *"}"#, message: "name: must be a non-empty string"),
        .init(method: "PATCH", target: "/api/jobs/1", body: #"{"schedule":"61 * * * *"}"#, message: "61"),
        .init(method: "PATCH", target: "/api/jobs/1", body: #"{"timezone":"Nowhere"}"#, message: "timezone: unknown time zone 'Nowhere'"),
        .init(method: "PATCH", target: "/api/jobs/1", body: #"{"type":"other"}"#, message: "type: unknown field, expected one of name, schedule"),
        .init(method: "PATCH", target: "/api/jobs/1", body: #"{"priority":0}"#, message: "priority: 0 is out of range 1-20"),
    ]

    @Test(arguments: badJobs)
    func jobRequestsAreValidated(_ bad: RESTBadRequest) async {
        let rest = RESTHarness()
        _ = await rest.send("POST", "/api/jobs", body: Self.backup)
        await rest.send(bad.method, bad.target, body: bad.body).expectError(400, bad.message)
        #expect(await rest.backend.jobs.count == 1)
    }

    @Test(.timeLimit(.minutes(1)))
    func createAcceptsZonePriorityNameAndCatchUp() async {
        let rest = RESTHarness()
        let answer = await rest.send(
            "POST", "/api/jobs",
            body: #"{"name":"n","type":"t","schedule":"@daily","timezone":"Europe/Berlin","priority":"HIGH","catchUp":"skip","maxAttempts":2}"#)
        #expect(answer.status == 201)
        #expect(answer.json["timezone"] == "Europe/Berlin")
        #expect(answer.json["priority"] == 10)
        #expect(answer.json["catchUp"] == "skip")
    }
}
