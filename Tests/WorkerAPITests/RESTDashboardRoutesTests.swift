import Foundation
import Scheduling
import TaskCore
import Testing
import WorkerAPI

/// Cron previews, a job's next fire times, the throughput series and the dashboard page.
@Suite(.timeLimit(.minutes(1)))
struct RESTDashboardRoutesTests {
    /// 2026-11-29T02:00:00Z.
    static let start = Date(timeIntervalSince1970: 1_795_917_600)

    /// A router over a real service on a manual clock.
    struct Harness {
        let clock = ManualClock(start: RESTDashboardRoutesTests.start)
        let service: WorkerService
        let router: RESTRouter

        init() {
            let clock = self.clock
            service = WorkerService(store: InMemoryTaskStore(), clock: clock)
            router = RESTRouter(backend: service, options: .init(now: { clock.now }))
        }

        func send(_ method: String, _ target: String, body: String? = nil, headers: [(name: String, value: String)] = [])
            async -> RESTAnswer
        {
            var headers = headers
            if body != nil { headers.append(("Content-Type", "application/json")) }
            return RESTAnswer(
                response: await router.respond(
                    to: RESTRequest(method: method, target: target, headers: headers, body: Array((body ?? "").utf8))))
        }
    }

    @Test func cronNextListsFireTimesInTheZone() async {
        let rest = Harness()
        let answer = await rest.send(
            "GET", "/api/cron/next?expr=0%209%20*%20*%20MON-FRI&tz=Europe/Berlin&count=3&from=2026-11-29T00:00:00Z")
        #expect(answer.status == 200)
        #expect(answer.json["expr"] == "0 9 * * MON-FRI")
        #expect(answer.json["timezone"] == "Europe/Berlin")
        #expect(
            answer.json["next"]
                == ["2026-11-30T08:00:00.000Z", "2026-12-01T08:00:00.000Z", "2026-12-02T08:00:00.000Z"])
    }

    @Test func cronNextDefaultsToFiveTimesInUTCFromNow() async {
        let answer = await Harness().send("GET", "/api/cron/next?expr=@hourly")
        #expect(answer.status == 200)
        #expect(answer.json["timezone"] == "UTC")
        #expect(answer.json["next"]?.arrayValue?.count == 5)
        #expect(answer.json["next"]?.arrayValue?.first == "2026-11-29T03:00:00.000Z")
    }

    @Test(arguments: [
        ("expr=0%2025%20*%20*%20*", "hour: 25 is out of range 0-23"),
        ("expr=*%20*%20*", "expr:"),
        ("", "expr: required"),
        ("expr=@daily&tz=Mars/Olympus", "tz: unknown time zone 'Mars/Olympus'"),
        ("expr=@daily&count=0", "count: 0 is out of range 1-100"),
        ("expr=@daily&count=101", "count: 101 is out of range 1-100"),
        ("expr=@daily&count=abc", "count: 'abc' is not an integer"),
        ("expr=@daily&from=yesterday", "from: 'yesterday' is not an ISO 8601 instant"),
    ])
    func cronNextRejectsBadInputWith400(query: String, message: String) async {
        let answer = await Harness().send("GET", "/api/cron/next?" + query)
        #expect(answer.status == 400)
        #expect(answer.json["error"] == "Bad Request")
        #expect(answer.json["message"]?.stringValue?.hasPrefix(message) == true, "\(answer.text)")
    }

    @Test func jobNextListsTheJobsFireTimesAndNothingWhilePaused() async {
        let rest = Harness()
        let created = await rest.send(
            "POST", "/api/jobs", body: #"{"name":"n","type":"backup","schedule":"0 0 * * *","timezone":"UTC"}"#)
        #expect(created.status == 201)
        let next = await rest.send("GET", "/api/jobs/1/next?count=2")
        #expect(next.status == 200)
        #expect(next.json["jobId"] == "1")
        #expect(next.json["next"] == ["2026-11-30T00:00:00.000Z", "2026-12-01T00:00:00.000Z"])
        #expect(await rest.send("GET", "/api/jobs/1/next").json["next"]?.arrayValue?.count == 5)
        _ = await rest.send("POST", "/api/jobs/1/pause")
        #expect(await rest.send("GET", "/api/jobs/1/next").json["next"] == [])
        #expect(await rest.send("GET", "/api/jobs/9/next").status == 404)
        #expect(await rest.send("GET", "/api/jobs/1/next?count=500").status == 400)
        #expect(await rest.send("POST", "/api/jobs/1/next").status == 405)
    }

    @Test func timeseriesCountsWhatTheStoreHolds() async throws {
        let rest = Harness()
        _ = await rest.send("POST", "/api/tasks", body: #"{"type":"email"}"#)
        rest.clock.advance(by: .seconds(61))
        _ = await rest.send("POST", "/api/tasks", body: #"{"type":"email"}"#)
        let answer = await rest.send("GET", "/api/tasks/stats/timeseries?minutes=5&bucketSeconds=60")
        #expect(answer.status == 200)
        #expect(answer.json["bucketSeconds"] == 60)
        let buckets = try #require(answer.json["buckets"]?.arrayValue)
        #expect(buckets.count == 5)
        #expect(buckets.last?["start"] == "2026-11-29T02:01:00.000Z")
        #expect(buckets.map { $0["created"] } == [0, 0, 0, 1, 1])
        #expect(buckets.allSatisfy { $0["completed"] == 0 && $0["failed"] == 0 && $0["avgDurationMs"] == .null })
        #expect(Set(buckets[0].objectValue?.keys.map { $0 } ?? []) == ["start", "created", "completed", "failed", "avgDurationMs"])
        let defaults = await rest.send("GET", "/api/tasks/stats/timeseries")
        #expect(defaults.json["buckets"]?.arrayValue?.count == 60)
    }

    @Test(arguments: [
        ("minutes=0", "minutes: 0 is out of range 1-1440"), ("minutes=1441", "minutes: 1441 is out of range 1-1440"),
        ("bucketSeconds=9", "bucketSeconds: 9 is out of range 10-3600"),
        ("bucketSeconds=3601", "bucketSeconds: 3601 is out of range 10-3600"),
        ("minutes=99999999999999999999", "minutes: '99999999999999999999' is not an integer"),
    ])
    func timeseriesRejectsOutOfRangeParameters(query: String, message: String) async {
        let answer = await Harness().send("GET", "/api/tasks/stats/timeseries?" + query)
        #expect(answer.status == 400)
        #expect(answer.json["message"]?.stringValue == message)
    }

    @Test func theDashboardIsOneSelfContainedPageWithAnETag() async throws {
        let rest = Harness()
        let page = await rest.send("GET", "/dashboard")
        #expect(page.status == 200)
        #expect(page.response.header("Content-Type") == "text/html; charset=utf-8")
        #expect(page.response.header("Content-Security-Policy")?.contains("connect-src 'self'") == true)
        #expect(page.text.hasPrefix("<!DOCTYPE html>"))
        #expect(page.response.body.count < 300_000)
        #expect(page.text.range(of: #"<script[^>]+src=|<link[^>]+href=|https?://"#, options: .regularExpression) == nil)
        let etag = try #require(page.response.header("ETag"))
        let again = await rest.send("GET", "/dashboard", headers: [("If-None-Match", etag)])
        #expect(again.status == 304 && again.response.body.isEmpty)
        #expect(await rest.send("GET", "/dashboard/").status == 200)
        #expect(await rest.send("POST", "/dashboard").status == 405)
    }
}
