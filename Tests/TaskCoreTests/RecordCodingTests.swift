import Foundation
import TaskCore
import Testing

/// TaskRecord and ScheduledJob JSON match the contract field for field, nulls included.
@Suite struct RecordCodingTests {
    static let t0 = Timestamp.parse("2026-11-29T02:00:00.000Z")!

    /// The JSON object `value` encodes to.
    static func object(_ value: some Encodable) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func aNewTaskEncodesExactlyTheContractsFields() throws {
        let record = TaskRecord(
            id: 1, type: "email", payload: ["to": "user@example.com"], runAt: Self.t0, createdAt: Self.t0, updatedAt: Self.t0,
            lease: Lease(worker: "w", token: 3, expiresAt: Self.t0))
        let json = try Self.object(record)
        #expect(Set(json.keys) == [
            "id", "type", "payload", "priority", "status", "attempts", "maxAttempts", "result", "error", "progress",
            "uniqueKey", "jobId", "runAt", "createdAt", "updatedAt", "startedAt", "completedAt",
            "queue", "concurrencyKey", "dependsOn", "onDependencyFailure", "batchId",
        ])
        #expect(json["id"] as? String == "1" && json["type"] as? String == "email")
        #expect((json["payload"] as? [String: Any])?["to"] as? String == "user@example.com")
        #expect(json["priority"] as? Int == 5 && json["status"] as? String == "pending")
        #expect(json["attempts"] as? Int == 0 && json["maxAttempts"] as? Int == 3)
        for key in ["result", "error", "progress", "uniqueKey", "jobId", "startedAt", "completedAt"] {
            #expect(json[key] is NSNull, "\(key) must be an explicit null")
        }
        for key in ["runAt", "createdAt", "updatedAt"] {
            #expect(json[key] as? String == "2026-11-29T02:00:00.000Z")
        }
    }

    @Test func aFinishedTaskRoundTrips() throws {
        let record = TaskRecord(
            id: 12, type: "report", payload: ["n": 1], priority: .critical, status: .completed, attempts: 2,
            maxAttempts: 4, result: ["rows": [1, 2]], error: "first try failed", progress: 100, uniqueKey: "u",
            jobId: 3, runAt: Self.t0, createdAt: Self.t0, updatedAt: Self.t0.addingTimeInterval(2),
            startedAt: Self.t0.addingTimeInterval(1), completedAt: Self.t0.addingTimeInterval(2.5))
        let json = try Self.object(record)
        #expect(json["jobId"] as? String == "3" && json["progress"] as? Int == 100)
        #expect(json["completedAt"] as? String == "2026-11-29T02:00:02.500Z")
        let decoded = try JSONDecoder().decode(TaskRecord.self, from: JSONEncoder().encode(record))
        #expect(decoded == record)
    }

    @Test func theContractsTaskExampleDecodes() throws {
        let text = """
            {"id": "1", "type": "email", "payload": {"to": "user@example.com"}, "priority": 5, "status": "pending",
             "attempts": 0, "maxAttempts": 3, "result": null, "error": null, "progress": null, "uniqueKey": null,
             "jobId": null, "runAt": "2026-11-29T02:00:00.000Z", "createdAt": "2026-11-29T02:00:00.000Z",
             "updatedAt": "2026-11-29T02:00:00.000Z", "startedAt": null, "completedAt": null}
            """
        let record = try JSONDecoder().decode(TaskRecord.self, from: Data(text.utf8))
        #expect(record.id == 1 && record.status == .pending && record.result == nil && record.runAt == Self.t0)
    }

    @Test func aJobEncodesExactlyTheContractsFields() throws {
        let job = ScheduledJob(
            id: 1, name: "Daily Backup", type: "backup", schedule: "0 0 * * *",
            nextRun: Timestamp.parse("2026-11-30T00:00:00.000Z"), createdAt: Self.t0, updatedAt: Self.t0)
        let json = try Self.object(job)
        #expect(Set(json.keys) == [
            "id", "name", "type", "schedule", "timezone", "payload", "priority", "status", "lastRun", "nextRun",
            "lastTaskId", "runCount", "catchUp", "createdAt", "updatedAt", "queue",
        ])
        #expect(json["id"] as? String == "1" && json["timezone"] as? String == "UTC" && json["status"] as? String == "active")
        #expect(json["lastRun"] is NSNull && json["lastTaskId"] is NSNull)
        #expect(json["nextRun"] as? String == "2026-11-30T00:00:00.000Z" && json["runCount"] as? Int == 0)
        #expect(json["catchUp"] as? String == "once" && json["priority"] as? Int == 5)
        let paused = ScheduledJob(
            id: 2, name: "n", type: "t", schedule: "* * * * *", status: .paused, lastRun: Self.t0, nextRun: nil,
            lastTaskId: 9, runCount: 4, catchUp: .skip, createdAt: Self.t0, updatedAt: Self.t0)
        let pausedJSON = try Self.object(paused)
        #expect(pausedJSON["nextRun"] is NSNull && pausedJSON["lastTaskId"] as? String == "9")
        #expect(try JSONDecoder().decode(ScheduledJob.self, from: JSONEncoder().encode(paused)) == paused)
    }

    @Test func logEntriesEncodeTheirAttemptOrNull() throws {
        let line = TaskLogEntry(timestamp: Self.t0, level: .warn, message: "m", attempt: nil)
        let json = try Self.object(line)
        #expect(Set(json.keys) == ["timestamp", "level", "message", "attempt"])
        #expect(json["attempt"] is NSNull && json["level"] as? String == "warn")
    }
}
