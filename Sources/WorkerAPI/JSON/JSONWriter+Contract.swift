public import TaskCore

/// The contract's JSON shapes (API.md section 1 and 2), written field by field in contract order.
extension JSONWriter {
    /// Appends the contract's Task object.
    public mutating func task(_ task: TaskRecord) {
        raw("{\"id\":\"")
        integer(task.id.rawValue)
        raw("\",\"type\":")
        string(task.type)
        raw(",\"payload\":")
        value(task.payload)
        raw(",\"priority\":")
        integer(task.priority.rawValue)
        raw(",\"status\":")
        taskStatus(task.status)
        raw(",\"attempts\":")
        integer(task.attempts)
        raw(",\"maxAttempts\":")
        integer(task.maxAttempts)
        raw(",\"result\":")
        if let result = task.result { value(result) } else { null() }
        raw(",\"error\":")
        if let error = task.error { string(error) } else { null() }
        raw(",\"progress\":")
        if let progress = task.progress { integer(progress) } else { null() }
        raw(",\"uniqueKey\":")
        if let uniqueKey = task.uniqueKey { string(uniqueKey) } else { null() }
        raw(",\"jobId\":")
        if let jobId = task.jobId {
            raw("\"")
            integer(jobId.rawValue)
            raw("\"")
        } else {
            null()
        }
        raw(",\"runAt\":")
        timestamp(task.runAt)
        raw(",\"createdAt\":")
        timestamp(task.createdAt)
        raw(",\"updatedAt\":")
        timestamp(task.updatedAt)
        raw(",\"startedAt\":")
        timestamp(task.startedAt)
        raw(",\"completedAt\":")
        timestamp(task.completedAt)
        taskWorkflowFields(task)
        raw("}")
    }

    /// Appends a task status as a quoted string.
    public mutating func taskStatus(_ status: TaskStatus) {
        switch status {
        case .pending: raw("\"pending\"")
        case .processing: raw("\"processing\"")
        case .completed: raw("\"completed\"")
        case .failed: raw("\"failed\"")
        case .cancelled: raw("\"cancelled\"")
        case .retrying: raw("\"retrying\"")
        case .blocked: raw("\"blocked\"")
        }
    }

    /// Appends the contract's Job object.
    public mutating func job(_ job: ScheduledJob) {
        raw("{\"id\":\"")
        integer(job.id.rawValue)
        raw("\",\"name\":")
        string(job.name)
        raw(",\"type\":")
        string(job.type)
        raw(",\"schedule\":")
        string(job.schedule)
        raw(",\"timezone\":")
        string(job.timezone)
        raw(",\"payload\":")
        value(job.payload)
        raw(",\"priority\":")
        integer(job.priority.rawValue)
        raw(",\"status\":")
        string(job.status.rawValue)
        raw(",\"lastRun\":")
        timestamp(job.lastRun)
        raw(",\"nextRun\":")
        timestamp(job.nextRun)
        raw(",\"lastTaskId\":")
        if let lastTaskId = job.lastTaskId {
            raw("\"")
            integer(lastTaskId.rawValue)
            raw("\"")
        } else {
            null()
        }
        raw(",\"runCount\":")
        integer(job.runCount)
        raw(",\"catchUp\":")
        string(job.catchUp.rawValue)
        raw(",\"createdAt\":")
        timestamp(job.createdAt)
        raw(",\"updatedAt\":")
        timestamp(job.updatedAt)
        raw("}")
    }

    /// Appends a log line `{"timestamp","level","message","attempt"}`.
    public mutating func logEntry(_ entry: TaskLogEntry) {
        raw("{\"timestamp\":")
        timestamp(entry.timestamp)
        raw(",\"level\":")
        string(entry.level.rawValue)
        raw(",\"message\":")
        string(entry.message)
        raw(",\"attempt\":")
        if let attempt = entry.attempt { integer(attempt) } else { null() }
        raw("}")
    }

    /// Appends the stats summary `{"total", "pending", ..., "byType": {"email": {"total", "completed", "failed"}}}`.
    public mutating func taskStats(_ stats: TaskStats) {
        raw("{\"total\":")
        integer(stats.total)
        for status in TaskStatus.allCases {
            raw(",")
            string(status.rawValue)
            raw(":")
            integer(stats.all[status])
        }
        raw(",\"byType\":{")
        for (position, type) in stats.byType.keys.sorted().enumerated() {
            let counts = stats.byType[type]!
            if position > 0 { raw(",") }
            string(type)
            raw(":{\"total\":")
            integer(counts.total)
            raw(",\"completed\":")
            integer(counts[.completed])
            raw(",\"failed\":")
            integer(counts[.failed])
            raw("}")
        }
        raw("}}")
    }

    /// Appends the error body `{"statusCode": 404, "error": "Not Found", "message": "..."}`.
    public mutating func errorBody(status: Int, message: String) {
        raw("{\"statusCode\":")
        integer(status)
        raw(",\"error\":")
        string(HTTPStatusText.reason(for: status))
        raw(",\"message\":")
        string(message)
        raw("}")
    }
}
