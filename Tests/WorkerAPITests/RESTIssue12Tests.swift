import Foundation
import TaskCore
import Testing
import WorkerAPI

/// The REST rows of issue 12 (W2, W4, W5, W6, D4), at the router.
@Suite(.timeLimit(.minutes(1)))
struct RESTIssue12Tests {
    /// W2: methods are case-sensitive; a spelling that is not upper case is 501 before routing,
    /// and creates nothing.
    @Test(arguments: ["post", "Post", "get", "pOsT", "BREW!"])
    func wrongCaseMethodsAre501(method: String) async {
        let rest = RESTHarness()
        let answer = await rest.send(method, "/api/tasks", body: #"{"type":"email"}"#)
        answer.expectError(501, "case-sensitive")
        #expect(await rest.backend.drafts.isEmpty)
    }

    /// An upper-case method the server does not serve is a wrong method for a known path (405 with
    /// `Allow`) and a 404 elsewhere, and creates nothing.
    @Test(arguments: ["QUERY", "BREW", "PROPFIND"])
    func unservedUpperCaseMethodsAre405OnKnownPaths(method: String) async {
        let rest = RESTHarness()
        let answer = await rest.send(method, "/api/tasks", body: #"{"type":"email"}"#)
        answer.expectError(405, "not allowed")
        #expect(await rest.backend.drafts.isEmpty)
        await rest.send(method, "/nowhere").expectError(404)
    }

    /// W4: an unknown id is quoted shortened, not echoed whole.
    @Test func notFoundDoesNotEchoAHugeId() async {
        let rest = RESTHarness()
        let huge = String(repeating: "7", count: 7000)
        let message = await rest.send("GET", "/api/tasks/\(huge)").expectError(404, "not found")
        #expect(message.count < 200)
        let job = await rest.send("GET", "/api/jobs/\(huge)x").expectError(404, "not found")
        #expect(job.count < 200)
        let path = await rest.send("GET", "/nowhere/\(huge)").expectError(404)
        #expect(path.count < 400)
    }

    /// W5: `+` in a path is a plus, not a space; a leading zero is not the same id.
    @Test(arguments: ["/api/tasks/+1", "/api/tasks/01", "/api/tasks/%2B1", "/api/tasks/1%20", "/api/tasks/001/logs"])
    func onlyTheCanonicalIdFindsATask(path: String) async {
        let rest = RESTHarness()
        await rest.createTask()
        let message = await rest.send("GET", path).expectError(404)
        if path.contains("+") { #expect(message.contains("+"), "'+' must not become a space: \(message)") }
        #expect(await rest.send("GET", "/api/tasks/1").status == 200)
        #expect(await rest.send("GET", "/api/tasks/%31").status == 200)
    }

    @Test func plusInAQueryStringIsStillASpace() async {
        let rest = RESTHarness()
        await rest.createTask(#"{"type":"a b"}"#)
        let answer = await rest.send("GET", "/api/tasks?type=a+b")
        #expect(answer.json["total"] == 1)
    }

    /// W6: numbers that cannot be kept exactly are refused; `-0` is 0; a blank type is refused.
    @Test(arguments: ["1e-400", "-1e-400", "4.9e-324", "12345678901234567890123", "-92233720368547758080"])
    func numbersThatWouldLoseTheirValueAre400(number: String) async {
        let rest = RESTHarness()
        let message = await rest.send("POST", "/api/tasks", body: #"{"type":"a","payload":{"n":\#(number)}}"#)
            .expectError(400, "Malformed JSON")
        #expect(message.contains("out of range") || message.contains("too small"))
    }

    @Test func exactNumbersAreKept() async {
        let rest = RESTHarness()
        let body = #"{"type":"a","payload":{"max":9223372036854775807,"min":-9223372036854775808,"z":0.0,"nz":-0,"e":1e-300,"zero":0e-400}}"#
        let answer = await rest.send("POST", "/api/tasks", body: body)
        #expect(answer.status == 201)
        let payload = answer.json["payload"]
        #expect(payload?["max"] == .integer(.max) && payload?["min"] == .integer(.min))
        #expect(payload?["nz"]?.doubleValue == 0 && payload?["zero"]?.doubleValue == 0)
        #expect(payload?["e"]?.doubleValue == 1e-300)
    }

    @Test(arguments: [#"" ""#, #""   ""#, #""\t""#])
    func blankTypesAre400(type: String) async {
        let rest = RESTHarness()
        await rest.send("POST", "/api/tasks", body: #"{"type":\#(type)}"#).expectError(400, "type")
    }

    /// C2: the router passes a huge offset through; the backend answers an empty page.
    @Test func offsetAtIntMaxIsAccepted() async {
        let rest = RESTHarness()
        await rest.createTask()
        let answer = await rest.send("GET", "/api/tasks?offset=9223372036854775807")
        #expect(answer.status == 200)
        await rest.send("GET", "/api/tasks?offset=9223372036854775808").expectError(400, "offset")
        await rest.send("GET", "/api/tasks?limit=99999999999999999999999").expectError(400, "limit")
    }

    /// D4: `byType` lists at most 100 types; the rest are summed under `__other__`.
    @Test func statsByTypeIsBounded() async {
        var stats = TaskStats()
        for index in 0..<250 {
            var counts = TaskStats.Counts()
            counts[.completed] = index
            counts[.pending] = 1
            stats.byType["type-\(index)"] = counts
        }
        stats.byType[TaskStats.otherTypesKey] = TaskStats.Counts(byStatus: [.failed: 5])
        let bounded = stats.boundedByType()
        #expect(bounded.count == 101)
        #expect(bounded.last?.type == TaskStats.otherTypesKey)
        // The 100 largest are listed by name; the rest (150 types, plus the real "__other__") are summed.
        #expect(Set(bounded.dropLast().map(\.type)) == Set((150..<250).map { "type-\($0)" }))
        let other = bounded.last!.counts
        #expect(other[.pending] == 150 && other[.completed] == (0..<150).reduce(0, +) && other[.failed] == 5)
        #expect(bounded.dropLast().map(\.type) == bounded.dropLast().map(\.type).sorted())
        // Few types: listed as they are, no extra key.
        var small = TaskStats()
        small.byType["email"] = TaskStats.Counts(byStatus: [.completed: 1])
        #expect(small.boundedByType().map(\.type) == ["email"])
    }

    @Test func metricsLabelsAreBounded() async {
        let rest = RESTHarness()
        for index in 0..<300 { rest.metrics.recordAttempt(type: "t\(index)", outcome: .completed, seconds: 0.01) }
        for method in ["BREW", "post", "X\(UUID())"] { _ = await rest.send(method, "/api/tasks") }
        let text = await rest.send("GET", "/metrics").text
        let attemptLines = text.split(separator: "\n").filter { $0.hasPrefix("worker_task_attempts_total{") }
        #expect(attemptLines.count <= MetricsRegistry.maxLabelValues)
        #expect(text.contains(#"type="__other__""#))
        #expect(!text.contains("BREW") && text.contains(#"method="OTHER""#))
    }
}
