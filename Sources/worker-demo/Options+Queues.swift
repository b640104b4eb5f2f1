import Foundation
import TaskCore

extension Options {
    /// A comma-separated list of valid queue names (`--queues`, `WORKER_QUEUES`).
    static func queueList(_ text: String, flag: String) throws(UsageError) -> Set<String> {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw UsageError(message: "\(flag): expected a comma-separated list of queue names") }
        for name in names where !QueueName.isValid(name) {
            throw UsageError(message: "\(flag): '\(name)' is not a valid queue name (1-100 characters of A-Z a-z 0-9 _ . -)")
        }
        return Set(names)
    }

    /// Whole seconds of priority aging, 1...31,536,000 (a year).
    static func agingSeconds(_ text: String, flag: String) throws(UsageError) -> Int {
        guard let seconds = Int(text), (1...31_536_000).contains(seconds) else {
            throw UsageError(message: "\(flag): '\(text)' is not a number of seconds in 1-31536000")
        }
        return seconds
    }
}
