import Foundation
import TaskCore

/// The cron job endpoints.
extension RESTRouter {
    static let createJobFields = ["name", "type", "schedule", "payload", "timezone", "priority", "maxAttempts", "catchUp"]
        + ["queue"]
    static let updateJobFields = ["name", "schedule", "timezone", "payload", "priority", "maxAttempts", "catchUp"]
        + ["queue"]

    /// `POST /api/jobs`: 201 with the job (its `nextRun` computed).
    func createJob(_ request: RESTRequest) async throws(TaskCoreError) -> RESTResponse {
        let fields = try bodyFields(request, allowed: Self.createJobFields, optional: false)
        let name = try fields.requiredString("name")
        let type = try fields.requiredString("type")
        let schedule = try fields.requiredString("schedule")
        var draft = NewJob(name: name, type: type, schedule: schedule)
        if let timezone = try fields.string("timezone") { draft.timezone = timezone }
        if let payload = try fields.object("payload") { draft.payload = payload }
        if let priority = try fields.priority() { draft.priority = priority }
        draft.maxAttempts = try Self.maxAttempts(fields)
        if let catchUp = try fields.string("catchUp") { draft.catchUp = try CatchUpPolicy(parsing: catchUp) }
        if let queue = try Self.queueField(fields) { draft.queue = queue }
        try Self.checkName(name)
        _ = try draft.validate()
        let job = try await backend.createJob(draft)
        return Self.jobResponse(201, job)
    }

    /// A job name must not be blank (the stores accept any non-empty name; a name of spaces helps nobody).
    private static func checkName(_ name: String) throws(TaskCoreError) {
        if name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .invalidArgument("name", "name: must be a non-empty string")
        }
    }

    private static func maxAttempts(_ fields: RESTBodyFields) throws(TaskCoreError) -> Int? {
        let range = Int64(NewTask.maxAttemptsRange.lowerBound)...Int64(NewTask.maxAttemptsRange.upperBound)
        return try fields.integer("maxAttempts", in: range).map { Int($0) }
    }

    /// `GET /api/jobs`: `{"jobs": [...], "total"}` by id.
    func listJobs() async throws(TaskCoreError) -> RESTResponse {
        let jobs = try await backend.listJobs()
        var writer = JSONWriter(capacity: 64 + jobs.count * 400)
        writer.raw("{\"jobs\":[")
        for (position, job) in jobs.enumerated() {
            if position > 0 { writer.raw(",") }
            writer.job(job)
        }
        writer.raw("],\"total\":")
        writer.integer(jobs.count)
        writer.raw("}")
        return .json(200, writer)
    }

    /// `GET /api/jobs/{id}`.
    func getJob(_ id: JobID) async throws(TaskCoreError) -> RESTResponse {
        Self.jobResponse(200, try await backend.job(id))
    }

    /// `PATCH /api/jobs/{id}` with any of the updatable fields; a new schedule or zone recomputes `nextRun`.
    func updateJob(_ id: JobID, _ request: RESTRequest) async throws(TaskCoreError) -> RESTResponse {
        let fields = try bodyFields(request, allowed: Self.updateJobFields, optional: true)
        var update = JobUpdate()
        if let name = try fields.string("name") {
            try Self.checkName(name)
            try NewTask.validateType(name, field: "name")
            update.name = name
        }
        if let schedule = try fields.string("schedule") {
            _ = try CronExpression(schedule)
            update.schedule = schedule
        }
        if let timezone = try fields.string("timezone") {
            guard !timezone.isEmpty, TimeZone(identifier: timezone) != nil else {
                throw .invalidArgument(
                    "timezone", "timezone: unknown time zone '\(timezone)', expected an IANA name such as Europe/Berlin")
            }
            update.timezone = timezone
        }
        update.payload = try fields.object("payload")
        update.priority = try fields.priority()
        update.maxAttempts = try Self.maxAttempts(fields)
        if let catchUp = try fields.string("catchUp") { update.catchUp = try CatchUpPolicy(parsing: catchUp) }
        update.queue = try Self.queueField(fields)
        return Self.jobResponse(200, try await backend.updateJob(id, update))
    }

    /// `DELETE /api/jobs/{id}`: 204 without a body.
    func deleteJob(_ id: JobID) async throws(TaskCoreError) -> RESTResponse {
        try await backend.deleteJob(id)
        return RESTResponse(status: 204)
    }

    /// `POST /api/jobs/{id}/pause` (idempotent).
    func pauseJob(_ id: JobID) async throws(TaskCoreError) -> RESTResponse {
        Self.jobResponse(200, try await backend.pauseJob(id))
    }

    /// `POST /api/jobs/{id}/resume` (idempotent; `nextRun` from now).
    func resumeJob(_ id: JobID) async throws(TaskCoreError) -> RESTResponse {
        Self.jobResponse(200, try await backend.resumeJob(id))
    }

    /// `POST /api/jobs/{id}/trigger`: 201 with the enqueued task.
    func triggerJob(_ id: JobID) async throws(TaskCoreError) -> RESTResponse {
        let task = try await backend.triggerJob(id)
        var writer = JSONWriter(capacity: 512)
        writer.task(task)
        return .json(201, writer)
    }

    static func jobResponse(_ status: Int, _ job: ScheduledJob) -> RESTResponse {
        var writer = JSONWriter(capacity: 512)
        writer.job(job)
        return .json(status, writer)
    }
}
