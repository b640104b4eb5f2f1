import Foundation
import TaskCore
import Testing
import WorkerAPI

@Suite struct RESTRoutingTests {
    @Test(arguments: ["/", "/api", "/api/task", "/api/tasks/1/logs/extra", "/api/jobs/1/run", "/healthz", "/api//tasks", "/api/tasks/1/../2"])
    func unknownPathsAre404(path: String) async {
        let message = await RESTHarness().send("GET", path).expectError(404)
        #expect(message == "Cannot GET \(path)")
    }

    @Test(arguments: [
        ("DELETE", "/api/tasks", "POST, GET, HEAD"),
        ("PUT", "/api/tasks/1", "GET, HEAD"),
        ("GET", "/api/tasks/1/cancel", "POST"),
        ("GET", "/api/tasks/1/retry", "POST"),
        ("POST", "/api/tasks/1/logs", "GET, HEAD"),
        ("PUT", "/api/jobs", "POST, GET, HEAD"),
        ("POST", "/api/jobs/1", "PATCH, GET, HEAD, DELETE"),
        ("GET", "/api/jobs/1/trigger", "POST"),
        ("POST", "/health", "GET, HEAD"),
        ("DELETE", "/metrics", "GET, HEAD"),
    ])
    func knownPathWithWrongMethodIs405WithAllow(method: String, path: String, allow: String) async {
        let answer = await RESTHarness().send(method, path)
        answer.expectError(405, "Method \(method) is not allowed on")
        #expect(Set(answer.header("Allow")?.components(separatedBy: ", ") ?? []) == Set(allow.components(separatedBy: ", ")))
    }

    @Test(.timeLimit(.minutes(1)))
    func bodyOverOneMebibyteIs413() async {
        let rest = RESTHarness()
        let big = #"{"type":"email","payload":{"blob":""# + String(repeating: "x", count: 1 << 20) + #""}}"#
        await rest.send("POST", "/api/tasks", body: big).expectError(413, "over the limit of 1048576 bytes")
        let justUnder = #"{"type":"email","payload":{"blob":""# + String(repeating: "x", count: (1 << 20) - 100) + #""}}"#
        #expect((await rest.send("POST", "/api/tasks", body: justUnder)).status == 201)
    }

    @Test(arguments: ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
    func nonJSONContentTypeFromABrowserPageIs415(contentType: String) async {
        let rest = RESTHarness()
        await rest.send(
            "POST", "/api/tasks", body: #"{"type":"email"}"#,
            headers: [("Content-Type", contentType), ("Origin", "https://elsewhere.example")]
        ).expectError(415, "Content-Type '\(contentType)' is not supported")
        #expect(await rest.backend.tasks.isEmpty)
    }

    @Test(arguments: ["text/plain", "application/x-www-form-urlencoded"])
    func nonJSONContentTypeWithoutOriginIsReadAsJSON(contentType: String) async {
        // What `curl -d '{...}'` without `-H` sends.
        let rest = RESTHarness()
        let answer = await rest.send(
            "POST", "/api/tasks", body: #"{"type":"email"}"#, headers: [("Content-Type", contentType)])
        #expect(answer.status == 201)
    }

    @Test(arguments: [nil, "application/json", "Application/JSON; charset=UTF-8", "application/merge-patch+json", "text/json"])
    func jsonOrMissingContentTypeIsAccepted(contentType: String?) async {
        let headers: [(name: String, value: String)] = contentType.map { [("Content-Type", $0)] } ?? []
        let answer = await RESTHarness().send("POST", "/api/tasks", body: #"{"type":"email"}"#, headers: headers)
        #expect(answer.status == 201)
    }

    @Test(.timeLimit(.minutes(1)))
    func trailingSlashQueryAndHeadAreHandled() async {
        let rest = RESTHarness()
        await rest.createTask()
        #expect((await rest.send("GET", "/api/tasks/")).json["total"] == 1)
        #expect((await rest.send("GET", "/api/tasks/1/")).json["id"] == "1")
        let head = await rest.send("HEAD", "/api/tasks/1")
        #expect(head.status == 200)
        #expect(head.response.body == (await rest.send("GET", "/api/tasks/1")).response.body)
    }

    @Test(.timeLimit(.minutes(1)))
    func cancelIgnoresAnyBody() async {
        let rest = RESTHarness()
        await rest.createTask()
        let answer = await rest.send("POST", "/api/tasks/1/cancel", body: "not json at all", headers: [("Content-Type", "text/plain")])
        #expect(answer.status == 200)
    }

    @Test func routeTableMatchesTheResolver() {
        for route in RESTRouter.routes {
            let concrete = route.path.template.replacingOccurrences(of: "{id}", with: "7")
            #expect(RESTPath.match(concrete)?.path == route.path, "\(route)")
        }
        #expect(Set(RESTRouter.routes).count == RESTRouter.routes.count)  // no route listed twice
    }
}
