extension NewJob {
    /// Checks every field and parses the schedule in its zone.
    /// - Returns: the parsed schedule.
    /// - Throws: ``TaskCoreError`` with code `invalidArgument` (name, type, timezone, maxAttempts)
    ///   or `invalidCron` (schedule), naming the field and the value.
    @discardableResult
    public func validate() throws(TaskCoreError) -> JobSchedule {
        try NewTask.validateType(name, field: "name")
        try NewTask.validateType(type)
        try QueueName.validate(queue)
        if let maxAttempts, !NewTask.maxAttemptsRange.contains(maxAttempts) {
            throw .invalidArgument("maxAttempts", "maxAttempts: \(maxAttempts) is out of range 1-100")
        }
        return try JobSchedule(schedule: schedule, timezone: timezone)
    }
}
