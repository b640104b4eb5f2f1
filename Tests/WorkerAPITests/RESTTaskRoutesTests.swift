import Foundation
import TaskCore
import Testing
import WorkerAPI

@Suite struct RESTTaskRoutesTests {
    static let taskKeys: Set<String> = [
        "id", "type", "payload", "priority", "status", "attempts", "maxAttempts", "result", "error", "progress",
        "uniqueKey", "jobId", "runAt", "createdAt", "updatedAt", "startedAt", "completedAt",
        "queue", "concurrencyKey", "dependsOn", "onDependencyFailure", "batchId",
    ]

    @Test(.timeLimit(.minutes(1)))
    func createReturns201WithTheContractTaskShape() async {
        let rest = RESTHarness()
        let answer = await rest.send("POST", "/api/tasks", body: #"{"type":"test-email","payload":{"to":"user@example.com"},"priority":5}"#)
        #expect(answer.status == 201)
        #expect(answer.header("Content-Type") == "application/json; charset=utf-8")
        let task = answer.json
        #expect(Set(task.objectValue?.keys.map { $0 } ?? []) == Self.taskKeys)
        #expect(task["id"] == "1")
        #expect(task["type"] == "test-email")
        #expect(task["payload"] == ["to": "user@example.com"])
        #expect(task["priority"] == 5)
        #expect(task["status"] == "pending")
        #expect(task["attempts"] == 0)
        #expect(task["maxAttempts"] == 3)
        #expect(task["result"] == .null)
        #expect(task["jobId"] == .null)
        #expect(task["createdAt"] == "2026-11-29T02:00:00.000Z")
        #expect(task["completedAt"] == .null)
    }

    @Test(.timeLimit(.minutes(1)))
    func createWithDefaultsNeedsOnlyAType() async {
        let rest = RESTHarness()
        let answer = await rest.send("POST", "/api/tasks", body: #"{"type":"email"}"#)
        #expect(answer.status == 201)
        #expect(answer.json["payload"] == .object([:]))
        #expect(answer.json["priority"] == 5)
    }

    @Test(.timeLimit(.minutes(1)))
    func uniqueKeyReturnsTheExistingTaskWith200() async {
        let rest = RESTHarness()
        let body = #"{"type":"email","uniqueKey":"welcome-42"}"#
        let first = await rest.send("POST", "/api/tasks", body: body)
        let second = await rest.send("POST", "/api/tasks", body: body)
        #expect(first.status == 201)
        #expect(second.status == 200)
        #expect(second.json["id"] == first.json["id"])
        #expect(second.json["uniqueKey"] == "welcome-42")
        #expect(await rest.backend.tasks.count == 1)
    }

    @Test(arguments: [
        (#""low""#, 1), (#""NORMAL""#, 5), (#""High""#, 10), (#""critical""#, 20), ("7", 7), ("20", 20),
    ])
    func priorityAcceptsNumbersAndLevelNames(given: String, expected: Int) async {
        let rest = RESTHarness()
        let answer = await rest.send("POST", "/api/tasks", body: #"{"type":"email","priority":\#(given)}"#)
        #expect(answer.status == 201)
        #expect(answer.json["priority"] == .integer(Int64(expected)))
    }

    @Test(arguments: [#""12""#, #""urgent""#, #""""#])
    func priorityStringsMustBeLevelNames(given: String) async {
        let rest = RESTHarness()
        let answer = await rest.send("POST", "/api/tasks", body: #"{"type":"email","priority":\#(given)}"#)
        answer.expectError(400, "priority: ")
        #expect(await rest.backend.tasks.isEmpty)
    }

    @Test(.timeLimit(.minutes(1)))
    func runAtDelayAndTimeoutReachTheDraft() async throws {
        let rest = RESTHarness()
        _ = await rest.send("POST", "/api/tasks", body: #"{"type":"a","runAt":"2026-12-01T08:30:00.000Z","timeoutMs":2500,"maxAttempts":7}"#)
        _ = await rest.send("POST", "/api/tasks", body: #"{"type":"b","delayMs":60000}"#)
        let drafts = await rest.backend.drafts
        #expect(drafts.count == 2)
        #expect(drafts[0].runAt == Timestamp.parse("2026-12-01T08:30:00.000Z"))
        #expect(drafts[0].timeout == .milliseconds(2500))
        #expect(drafts[0].maxAttempts == 7)
        #expect(drafts[1].runAt == nil)
        #expect(drafts[1].delay == .milliseconds(60000))
    }

    @Test(.timeLimit(.minutes(1)))
    func listIsNewestFirstWithTotalLimitAndOffset() async {
        let rest = RESTHarness()
        for _ in 0..<5 { await rest.createTask() }
        let page = await rest.send("GET", "/api/tasks?limit=2&offset=1")
        #expect(page.status == 200)
        #expect(page.json["tasks"]?.arrayValue?.map { $0["id"] } == ["4", "3"])
        #expect(page.json["total"] == 5)
        #expect(page.json["limit"] == 2)
        #expect(page.json["offset"] == 1)
        let defaults = await rest.send("GET", "/api/tasks")
        #expect(defaults.json["limit"] == 50)
        #expect(defaults.json["offset"] == 0)
        #expect(defaults.json["tasks"]?.arrayValue?.count == 5)
    }

    @Test(.timeLimit(.minutes(1)))
    func listFiltersByStatusListAndType() async {
        let rest = RESTHarness()
        await rest.createTask(#"{"type":"email"}"#)
        await rest.createTask(#"{"type":"backup"}"#)
        await rest.createTask(#"{"type":"email"}"#)
        await rest.backend.setStatus(1, .failed)
        await rest.backend.setStatus(2, .completed)
        let pendingOrFailed = await rest.send("GET", "/api/tasks?status=pending,FAILED")
        #expect(pendingOrFailed.json["tasks"]?.arrayValue?.map { $0["id"] } == ["3", "1"])
        let repeated = await rest.send("GET", "/api/tasks?status=completed&status=failed")
        #expect(repeated.json["total"] == 2)
        let backups = await rest.send("GET", "/api/tasks?type=backup")
        #expect(backups.json["tasks"]?.arrayValue?.map { $0["id"] } == ["2"])
        let encoded = await rest.send("GET", "/api/tasks?type=e%6Dail&status=pending%2Cfailed")
        #expect(encoded.json["total"] == 2)
    }

    @Test(.timeLimit(.minutes(1)))
    func getReturnsTheTaskAndUnknownIdsAre404() async {
        let rest = RESTHarness()
        await rest.createTask()
        let found = await rest.send("GET", "/api/tasks/1")
        #expect(found.status == 200)
        #expect(found.json["id"] == "1")
        await rest.send("GET", "/api/tasks/42").expectError(404, "Task 42 not found")
        let abc = await rest.send("GET", "/api/tasks/abc").expectError(404)
        #expect(abc == "Task abc not found")
        await rest.send("GET", "/api/tasks/0").expectError(404, "Task 0 not found")
        await rest.send("GET", "/api/tasks/-1").expectError(404, "Task -1 not found")
        await rest.send("GET", "/api/tasks/99999999999999999999999").expectError(404)
        await rest.send("POST", "/api/tasks/42/cancel").expectError(404, "Task 42 not found")
        await rest.send("POST", "/api/tasks/42/retry").expectError(404, "Task 42 not found")
        await rest.send("GET", "/api/tasks/42/logs").expectError(404, "Task 42 not found")
    }

    @Test(.timeLimit(.minutes(1)))
    func cancelPendingThenCancelAgainIs400() async {
        let rest = RESTHarness()
        await rest.createTask()
        let cancelled = await rest.send("POST", "/api/tasks/1/cancel")
        #expect(cancelled.status == 200)
        #expect(cancelled.json["status"] == "cancelled")
        let again = await rest.send("POST", "/api/tasks/1/cancel").expectError(400)
        #expect(again == "Cannot cancel task 1: status is cancelled")
        #expect(await rest.send("POST", "/api/tasks/1/cancel").header("X-Error-Code") == "invalid_transition")
    }

    @Test(.timeLimit(.minutes(1)))
    func cancelCompletedTaskNamesTheStatus() async {
        let rest = RESTHarness()
        for _ in 0..<7 { await rest.createTask() }
        await rest.backend.setStatus(7, .completed)
        let message = await rest.send("POST", "/api/tasks/7/cancel").expectError(400)
        #expect(message == "Cannot cancel task 7: status is completed")
    }

    @Test(.timeLimit(.minutes(1)))
    func retryWithAndWithoutBody() async {
        let rest = RESTHarness()
        await rest.createTask()
        await rest.send("POST", "/api/tasks/1/retry").expectError(400, "Cannot retry task 1: status is pending")
        await rest.backend.setStatus(1, .failed)
        let retried = await rest.send("POST", "/api/tasks/1/retry", body: #"{"resetAttempts":false}"#)
        #expect(retried.status == 200)
        #expect(retried.json["status"] == "pending")
        await rest.backend.setStatus(1, .cancelled)
        let noBody = await rest.send("POST", "/api/tasks/1/retry")
        #expect(noBody.status == 200)
        await rest.backend.setStatus(1, .failed)
        await rest.send("POST", "/api/tasks/1/retry", body: #"{"resetAttempts":"yes"}"#)
            .expectError(400, "resetAttempts: expected a boolean, found string")
        await rest.send("POST", "/api/tasks/1/retry", body: #"{"reset":true}"#)
            .expectError(400, "reset: unknown field, expected one of resetAttempts")
    }

    @Test(.timeLimit(.minutes(1)))
    func logsAreOldestFirstWithLimit() async {
        let rest = RESTHarness()
        await rest.createTask()
        _ = await rest.send("POST", "/api/tasks/1/cancel")
        let logs = await rest.send("GET", "/api/tasks/1/logs")
        #expect(logs.status == 200)
        #expect(logs.json["taskId"] == "1")
        let entries = logs.json["logs"]?.arrayValue ?? []
        #expect(entries.map { $0["message"] } == ["created", "cancelled"])
        #expect(entries.first?.objectValue?.keys.sorted() == ["attempt", "level", "message", "timestamp"])
        let limited = await rest.send("GET", "/api/tasks/1/logs?limit=1")
        #expect(limited.json["logs"]?.arrayValue?.count == 1)
        await rest.send("GET", "/api/tasks/1/logs?limit=0").expectError(400, "limit: 0 is out of range 1-1000")
    }

    @Test(.timeLimit(.minutes(1)))
    func statsSummaryHasTheContractShapeAndIsNotATaskId() async {
        let rest = RESTHarness()
        await rest.createTask(#"{"type":"email"}"#)
        await rest.createTask(#"{"type":"email"}"#)
        await rest.createTask(#"{"type":"backup"}"#)
        await rest.backend.setStatus(1, .completed)
        await rest.backend.setStatus(3, .failed)
        let stats = await rest.send("GET", "/api/tasks/stats/summary")
        #expect(stats.status == 200)
        #expect(
            stats.json == [
                "total": 3, "pending": 1, "processing": 0, "completed": 1, "failed": 1, "cancelled": 0, "retrying": 0,
                "blocked": 0, "byType": [
                    "email": ["total": 2, "completed": 1, "failed": 0],
                    "backup": ["total": 1, "completed": 0, "failed": 1],
                ],
            ])
        await rest.send("GET", "/api/tasks/stats").expectError(404, "Task stats not found")
        let wrongMethod = await rest.send("POST", "/api/tasks/stats/summary")
        wrongMethod.expectError(405)
        #expect(wrongMethod.header("Allow") == "GET, HEAD")
    }
}
