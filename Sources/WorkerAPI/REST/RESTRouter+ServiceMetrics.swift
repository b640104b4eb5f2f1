import Foundation
import Glibc
import Scheduling
import TaskCore

/// The process-kept part of `GET /metrics`: counters that only grow (from the service's
/// ``Scheduling/ServiceMetrics``), pool slots, live-event subscribers, `process_*` and `build_info`.
extension RESTRouter {
    func appendServiceMetrics(to text: inout PrometheusText) {
        if let service = backend as? WorkerService {
            let snapshot = service.metrics.snapshot()
            text.header(
                "worker_tasks_finished_total", "Tasks this process brought to a final status, by type and status.", type: "counter")
            for type in snapshot.finished.keys.sorted() {
                for status in [TaskStatus.completed, .failed, .cancelled] {
                    text.sample("worker_tasks_finished_total", [("type", type), ("status", status.rawValue)], Double(snapshot.finished[type]![status] ?? 0))
                }
            }
            text.header(
                "worker_task_completed_duration_seconds",
                "Start of the last attempt to completion, over the tasks this process completed.", type: "histogram")
            text.histogram("worker_task_completed_duration_seconds", [], Self.histogram(snapshot.completedDuration))
            text.header("worker_task_claims_total", "Attempts this process started (claims).", type: "counter")
            text.sample("worker_task_claims_total", [], Double(snapshot.attemptsStarted))
            text.header("worker_lease_recoveries_total", "Tasks with an expired lease (a dead worker) this process recovered.", type: "counter")
            text.sample("worker_lease_recoveries_total", [], Double(snapshot.leaseRecoveries))
            text.header("worker_job_runs_total", "Cron runs (scheduled fires and triggers) this process enqueued, by job.", type: "counter")
            for key in snapshot.jobRuns.keys.sorted(by: { $0.id.rawValue < $1.id.rawValue }) {
                text.sample("worker_job_runs_total", [("job", key.id.description), ("name", key.name)], Double(snapshot.jobRuns[key]!))
            }
            text.header("worker_cron_lateness_seconds", "How late scheduled cron fires were enqueued.", type: "histogram")
            text.histogram("worker_cron_lateness_seconds", [], Self.histogram(snapshot.cronLateness))
            text.gauge("worker_slots_busy", "Worker slots running a handler now.", Double(service.busySlots))
            text.gauge("worker_slots", "Worker slots of this process (its concurrency).", Double(service.configuration.concurrency))
            text.header("worker_events_published_total", "Task and job change events published by this process.", type: "counter")
            text.sample("worker_events_published_total", [], Double(service.changes.lastEventID))
            text.gauge("worker_event_subscribers", "Live event subscribers attached now (SSE and GraphQL).", Double(service.changes.subscriberCount))
        }
        ProcessMetrics.append(to: &text)
    }

    static func histogram(_ histogram: ServiceMetrics.Histogram) -> MetricsRegistry.Histogram {
        var converted = MetricsRegistry.Histogram(bounds: histogram.bounds)
        converted.counts = histogram.counts
        converted.sum = histogram.sum
        converted.count = histogram.count
        return converted
    }
}

/// `process_*` (the Prometheus client libraries' names) and `worker_build_info`, from `/proc`.
enum ProcessMetrics {
    /// When this process started (seconds since the epoch), read once.
    static let startTime: Double = {
        // Field 22 of /proc/self/stat is the start in clock ticks after boot; btime of /proc/stat is the boot.
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")"),
            let boot = (try? String(contentsOfFile: "/proc/stat", encoding: .utf8))?.split(separator: "\n")
                .first(where: { $0.hasPrefix("btime ") })?.split(separator: " ").last.flatMap({ Double($0) })
        else { return Date().timeIntervalSince1970 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]) else { return Date().timeIntervalSince1970 }
        return boot + ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }()

    static func append(to text: inout PrometheusText) {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
        text.header("process_cpu_seconds_total", "User and system CPU time spent by the process.", type: "counter")
        text.sample("process_cpu_seconds_total", [], cpu)
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
            let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
        {
            text.gauge("process_resident_memory_bytes", "Resident memory of the process.", pages * Double(sysconf(Int32(_SC_PAGESIZE))))
        }
        if let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            text.gauge("process_open_fds", "Open file descriptors of the process.", Double(fds.count))
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            text.gauge("process_max_fds", "The process's limit of open file descriptors.", Double(limit.rlim_cur))
        }
        text.gauge("process_start_time_seconds", "Start of the process, in seconds since the epoch.", startTime)
        text.header("worker_build_info", "Always 1; the labels say what is running.", type: "gauge")
        text.sample("worker_build_info", [("version", BuildInfo.version), ("swift", BuildInfo.swift)], 1)
    }
}

/// What `worker_build_info` reports.
enum BuildInfo {
    static let version = "0.2.0"
    #if swift(>=6.3)
        static let swift = "6.3"
    #elseif swift(>=6.2)
        static let swift = "6.2"
    #else
        static let swift = "6"
    #endif
}
