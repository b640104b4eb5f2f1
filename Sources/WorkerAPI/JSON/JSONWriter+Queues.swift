public import TaskCore

/// The flow-control shapes of the contract (API.md section 5).
extension JSONWriter {
    /// Appends the Task fields of section 5 that this build knows (`queue`, `concurrencyKey`),
    /// each preceded by a comma.
    mutating func taskFlowFields(_ task: TaskRecord) {
        raw(",\"queue\":")
        string(task.queue)
        raw(",\"concurrencyKey\":")
        if let key = task.concurrencyKey { string(key) } else { null() }
    }

    /// Appends the contract's Queue object.
    public mutating func queue(_ queue: QueueInfo) {
        let settings = queue.settings
        raw("{\"name\":")
        string(settings.name)
        raw(",\"paused\":")
        raw(settings.paused ? "true" : "false")
        raw(",\"concurrency\":")
        if let value = settings.concurrency { integer(value) } else { null() }
        raw(",\"perKeyConcurrency\":")
        if let value = settings.perKeyConcurrency { integer(value) } else { null() }
        raw(",\"rateLimit\":")
        if let rate = settings.rateLimit {
            raw("{\"limit\":")
            integer(rate.limit)
            raw(",\"periodMs\":")
            integer(rate.periodMs)
            raw("}")
        } else {
            null()
        }
        raw(",\"counts\":{")
        for (position, name) in QueueInfo.countedStatusNames.enumerated() {
            if position > 0 { raw(",") }
            string(name)
            raw(":")
            integer(queue.count(named: name))
        }
        raw("},\"oldestReadyAt\":")
        timestamp(queue.oldestReadyAt)
        raw(",\"updatedAt\":")
        timestamp(settings.updatedAt)
        raw("}")
    }
}
