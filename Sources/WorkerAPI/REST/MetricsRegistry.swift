import Synchronization
import TaskCore

/// Counters and histograms that cannot be computed from the store: HTTP requests served and
/// handler attempts (outcome and duration). Thread-safe; share one per process.
///
/// The router records every request it answers. Attempts are recorded by whoever runs handlers:
/// `worker-demo` wraps each registered handler with ``recordAttempt(type:outcome:seconds:)``.
/// ``RESTRouter`` renders everything at `GET /metrics` (see `Docs/HEALTH_CHECKS.md`).
public final class MetricsRegistry: Sendable {
    /// How a handler attempt ended.
    public enum AttemptOutcome: String, Sendable, CaseIterable {
        case completed, failed, cancelled
    }

    /// Upper bounds (seconds) of the HTTP request duration histogram.
    public static let requestBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]
    /// Upper bounds (seconds) of the attempt duration histogram.
    public static let attemptBuckets: [Double] = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300]

    struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    struct AttemptKey: Hashable {
        var type: String
        var outcome: AttemptOutcome
    }

    struct Histogram {
        var bounds: [Double]
        var counts: [Int]
        var sum: Double = 0
        var count: Int = 0

        init(bounds: [Double]) {
            self.bounds = bounds
            counts = Array(repeating: 0, count: bounds.count)
        }

        mutating func observe(_ value: Double) {
            if let slot = bounds.firstIndex(where: { value <= $0 }) { counts[slot] += 1 }
            sum += value
            count += 1
        }
    }

    struct State {
        var requests: [RequestKey: Int] = [:]
        var requestDuration = Histogram(bounds: MetricsRegistry.requestBuckets)
        var attempts: [AttemptKey: Int] = [:]
        var attemptDuration: [String: Histogram] = [:]
    }

    private let state = Mutex(State())

    /// The most distinct values of a request-derived label (task type, job) the registry keeps; later
    /// values are counted under `__other__` (``TaskStats/otherTypesKey``), so a client that invents
    /// 20,000 task types cannot make the scrape grow without bound (issue 12, D4).
    public static let maxLabelValues = 100

    /// The methods recorded by name; any other method is recorded as `OTHER`.
    static let methodLabels: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    /// The `method` label of a request: the method when it is a common one, otherwise `OTHER`.
    public static func methodLabel(_ method: String) -> String {
        methodLabels.contains(method) ? method : "OTHER"
    }

    /// Creates an empty registry.
    public init() {}

    /// Counts one answered HTTP request.
    /// - Parameters:
    ///   - route: the path template (`/api/tasks/{id}`), or `unmatched`.
    ///   - method: the request method.
    ///   - status: the status code sent.
    ///   - seconds: the time spent in the router.
    public func recordRequest(route: String, method: String, status: Int, seconds: Double) {
        state.withLock { state in
            let key = RequestKey(route: route, method: Self.methodLabel(method), status: status)
            state.requests[key, default: 0] += 1
            state.requestDuration.observe(seconds)
        }
    }

    /// Counts one finished handler attempt.
    /// - Parameters:
    ///   - type: the task type.
    ///   - outcome: how the attempt ended.
    ///   - seconds: how long the handler ran.
    public func recordAttempt(type: String, outcome: AttemptOutcome, seconds: Double) {
        state.withLock { state in
            var label = type
            if state.attemptDuration[type] == nil, state.attemptDuration.count >= Self.maxLabelValues - 1 {
                label = TaskStats.otherTypesKey
            }
            state.attempts[AttemptKey(type: label, outcome: outcome), default: 0] += 1
            state.attemptDuration[label, default: Histogram(bounds: MetricsRegistry.attemptBuckets)].observe(seconds)
        }
    }

    /// A copy of everything recorded so far.
    func snapshot() -> State {
        state.withLock { $0 }
    }
}
