import Foundation
import TaskCore
import Testing
import WorkerAPI

/// A router over a fresh ``FakeWorkerBackend`` with a fixed clock.
struct RESTHarness {
    let backend: FakeWorkerBackend
    let router: RESTRouter
    let metrics: MetricsRegistry

    init() {
        let backend = FakeWorkerBackend()
        let metrics = MetricsRegistry()
        self.backend = backend
        self.metrics = metrics
        let start = Date(timeIntervalSince1970: 1_795_917_600)
        router = RESTRouter(
            backend: backend, options: RESTRouter.Options(storeKind: "memory", now: { start.addingTimeInterval(42) }),
            metrics: metrics)
    }

    /// Sends a request; a `body` gets `Content-Type: application/json` unless `headers` say otherwise.
    func send(
        _ method: String, _ target: String, body: String? = nil, headers: [(name: String, value: String)]? = nil
    ) async -> RESTAnswer {
        let bytes = body.map { Array($0.utf8) } ?? []
        let headers = headers ?? (body == nil ? [] : [("Content-Type", "application/json")])
        let response = await router.respond(to: RESTRequest(method: method, target: target, headers: headers, body: bytes))
        return RESTAnswer(response: response)
    }

    /// Creates a task and returns its id.
    @discardableResult
    func createTask(_ body: String = #"{"type":"email","payload":{},"priority":5}"#) async -> String {
        let answer = await send("POST", "/api/tasks", body: body)
        return answer.json["id"]?.stringValue ?? "?"
    }
}

/// A response with helpers to read it.
struct RESTAnswer {
    let response: RESTResponse

    var status: Int { response.status }
    var text: String { String(decoding: response.body, as: UTF8.self) }
    var json: JSONValue { (try? JSONReader().parse(response.body)) ?? .null }
    var message: String { json["message"]?.stringValue ?? "" }
    func header(_ name: String) -> String? { response.header(name) }

    /// Checks the contract's error body `{"statusCode", "error", "message"}` and returns the message.
    @discardableResult
    func expectError(
        _ status: Int, _ fragment: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) -> String {
        #expect(self.status == status, "body: \(text)", sourceLocation: sourceLocation)
        #expect(json["statusCode"] == .integer(Int64(status)), sourceLocation: sourceLocation)
        #expect(json["error"]?.stringValue == HTTPStatusText.reason(for: status), sourceLocation: sourceLocation)
        #expect(json.objectValue?.count == 3, "error body has exactly three members", sourceLocation: sourceLocation)
        if let fragment {
            #expect(message.contains(fragment), "message '\(message)' lacks '\(fragment)'", sourceLocation: sourceLocation)
        }
        return message
    }
}
