import Foundation
import TaskCore

extension RESTRouter {
    /// Per-queue gauges on `/metrics`: depth, processing, paused, and the age of the oldest ready task.
    func appendQueueMetrics(_ text: inout PrometheusText, _ queues: [QueueInfo]) {
        guard !queues.isEmpty else { return }
        text.header("worker_queue_tasks_waiting", "Tasks of a queue waiting to run: pending plus retrying.", type: "gauge")
        for queue in queues {
            text.sample("worker_queue_tasks_waiting", [("queue", queue.name)], Double(queue.counts[.pending] + queue.counts[.retrying]))
        }
        text.header("worker_queue_tasks_processing", "Tasks of a queue processing now.", type: "gauge")
        for queue in queues {
            text.sample("worker_queue_tasks_processing", [("queue", queue.name)], Double(queue.counts[.processing]))
        }
        text.header("worker_queue_paused", "1 when the queue is paused.", type: "gauge")
        for queue in queues {
            text.sample("worker_queue_paused", [("queue", queue.name)], queue.settings.paused ? 1 : 0)
        }
        text.header("worker_queue_oldest_ready_age_seconds", "Seconds since the oldest ready task's runAt (0 when none).", type: "gauge")
        let now = options.now()
        for queue in queues {
            let age = queue.oldestReadyAt.map { max(0, now.timeIntervalSince($0)) } ?? 0
            text.sample("worker_queue_oldest_ready_age_seconds", [("queue", queue.name)], age)
        }
    }
}
