import Synchronization

/// The gateway's own `GET /metrics`: requests it answered (by path, method and status), their
/// latency, and whether the worker answers (checked at each scrape).
public final class GatewayMetrics: Sendable {
    struct Key: Hashable {
        var path: String
        var method: String
        var status: Int
    }

    struct State {
        var requests: [Key: Int] = [:]
        var duration = MetricsRegistry.Histogram(bounds: MetricsRegistry.requestBuckets)
        var subscriptions = 0
    }

    private let state = Mutex(State())

    /// Creates empty metrics.
    public init() {}

    func record(path: String, method: String, status: Int, seconds: Double) {
        state.withLock { state in
            state.requests[Key(path: path, method: method, status: status), default: 0] += 1
            state.duration.observe(seconds)
        }
    }

    func subscriptionOpened() { state.withLock { $0.subscriptions += 1 } }

    /// The Prometheus text.
    func render(workerUp: Bool) -> [UInt8] {
        let snapshot = state.withLock { $0 }
        var text = PrometheusText()
        text.gauge("gateway_worker_up", "1 when the worker service answers its health check, 0 otherwise.", workerUp ? 1 : 0)
        text.header("gateway_http_requests_total", "HTTP requests answered by the gateway.", type: "counter")
        for key in snapshot.requests.keys.sorted(by: { ($0.path, $0.method, $0.status) < ($1.path, $1.method, $1.status) }) {
            text.sample(
                "gateway_http_requests_total", [("path", key.path), ("method", key.method), ("status", String(key.status))],
                Double(snapshot.requests[key]!))
        }
        text.header("gateway_http_request_duration_seconds", "Time to answer a request (to the head of a stream).", type: "histogram")
        text.histogram("gateway_http_request_duration_seconds", [], snapshot.duration)
        text.header("gateway_subscriptions_total", "GraphQL subscriptions opened.", type: "counter")
        text.sample("gateway_subscriptions_total", [], Double(snapshot.subscriptions))
        ProcessMetrics.append(to: &text)
        return text.bytes
    }
}
