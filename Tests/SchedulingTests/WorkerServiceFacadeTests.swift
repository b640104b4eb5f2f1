import Foundation
import Scheduling
import Testing
import TaskCore

@Suite(.timeLimit(.minutes(1))) struct WorkerServiceFacadeTests {
    let t = TestService()

    private func expectError(
        _ code: TaskCoreError.Code, field: String? = nil, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> Void
    ) async {
        do {
            try await body()
            Issue.record("expected \(code)", sourceLocation: sourceLocation)
        } catch {
            let error = error as? TaskCoreError
            #expect(error?.code == code, sourceLocation: sourceLocation)
            if let field { #expect(error?.field == field, sourceLocation: sourceLocation) }
        }
    }

    @Test func createTaskValidatesTheDraft() async {
        await expectError(.invalidArgument, field: "type") { _ = try await t.service.createTask(NewTask(type: "")) }
        await expectError(.invalidArgument, field: "maxAttempts") {
            _ = try await t.service.createTask(NewTask(type: "a", maxAttempts: 0))
        }
        await expectError(.invalidArgument, field: "timeoutMs") {
            _ = try await t.service.createTask(NewTask(type: "a", timeout: .zero))
        }
        await expectError(.invalidArgument, field: "delayMs") {
            _ = try await t.service.createTask(NewTask(type: "a", delay: .seconds(-1)))
        }
    }

    @Test func uniqueKeyReturnsTheUnfinishedTask() async throws {
        let first = try await t.service.createTask(NewTask(type: "a", uniqueKey: "k"))
        let second = try await t.service.createTask(NewTask(type: "a", uniqueKey: "k"))
        #expect(first.created && !second.created)
        #expect(first.task.id == second.task.id)
    }

    @Test func listingAndLogsCheckTheirLimits() async throws {
        await expectError(.invalidArgument, field: "limit") { _ = try await t.service.listTasks(TaskQuery(limit: 0)) }
        await expectError(.invalidArgument, field: "offset") { _ = try await t.service.listTasks(TaskQuery(offset: -1)) }
        let task = try await t.service.createTask(NewTask(type: "a")).task
        await expectError(.invalidArgument, field: "limit") { _ = try await t.service.taskLogs(task.id, limit: 1001) }
        let logs = try await t.service.taskLogs(task.id, limit: 10)
        #expect(!logs.isEmpty)  // the store's "created" line
        let page = try await t.service.listTasks(TaskQuery(statuses: [.pending], type: "a"))
        #expect(page.total == 1 && page.tasks.map(\.id) == [task.id])
    }

    @Test func unknownIdsAreNotFound() async {
        await expectError(.notFound) { _ = try await t.service.task(404) }
        await expectError(.notFound) { _ = try await t.service.cancelTask(404) }
        await expectError(.notFound) { _ = try await t.service.retryTask(404, resetAttempts: false) }
        await expectError(.notFound) { _ = try await t.service.taskLogs(404, limit: 10) }
        await expectError(.notFound) { _ = try await t.service.job(404) }
        await expectError(.notFound) { _ = try await t.service.updateJob(404, JobUpdate(name: "x")) }
        await expectError(.notFound) { _ = try await t.service.pauseJob(404) }
        await expectError(.notFound) { _ = try await t.service.resumeJob(404) }
        await expectError(.notFound) { _ = try await t.service.triggerJob(404) }
        await expectError(.notFound) { try await t.service.deleteJob(404) }
    }

    @Test func refusedTransitionsAreInvalidTransition() async throws {
        let task = try await t.service.createTask(NewTask(type: "a")).task
        await expectError(.invalidTransition) { _ = try await t.service.retryTask(task.id, resetAttempts: true) }
        _ = try await t.service.cancelTask(task.id)
        await expectError(.invalidTransition) { _ = try await t.service.cancelTask(task.id) }
        let retried = try await t.service.retryTask(task.id, resetAttempts: true)
        #expect(retried.status == .pending)
    }

    @Test func createJobValidatesEveryField() async {
        await expectError(.invalidCron) {
            _ = try await t.service.createJob(NewJob(name: "n", type: "t", schedule: "61 * * * *"))
        }
        await expectError(.invalidArgument, field: "timezone") {
            _ = try await t.service.createJob(NewJob(name: "n", type: "t", schedule: "* * * * *", timezone: "Mars/Olympus"))
        }
        await expectError(.invalidArgument, field: "name") {
            _ = try await t.service.createJob(NewJob(name: "", type: "t", schedule: "* * * * *"))
        }
        await expectError(.invalidArgument, field: "type") {
            _ = try await t.service.createJob(NewJob(name: "n", type: "", schedule: "* * * * *"))
        }
        await expectError(.invalidArgument, field: "maxAttempts") {
            _ = try await t.service.createJob(NewJob(name: "n", type: "t", schedule: "* * * * *", maxAttempts: 101))
        }
    }

    @Test func updateJobValidatesTheChangedFields() async throws {
        let job = try await t.service.createJob(NewJob(name: "n", type: "t", schedule: "0 0 * * *"))
        await expectError(.invalidCron) { _ = try await t.service.updateJob(job.id, JobUpdate(schedule: "* *")) }
        await expectError(.invalidArgument, field: "timezone") {
            _ = try await t.service.updateJob(job.id, JobUpdate(timezone: "Nowhere/Else"))
        }
        await expectError(.invalidArgument, field: "name") { _ = try await t.service.updateJob(job.id, JobUpdate(name: "")) }
        await expectError(.invalidArgument, field: "maxAttempts") {
            _ = try await t.service.updateJob(job.id, JobUpdate(maxAttempts: 0))
        }
        let moved = try await t.service.updateJob(job.id, JobUpdate(timezone: "Europe/Berlin"))
        #expect(moved.timezone == "Europe/Berlin")
        #expect(try await t.service.listJobs().map(\.id) == [job.id])
    }

    @Test func healthReflectsTheStore() async {
        #expect(await t.service.isHealthy())
        let broken = WorkerService(store: FailingStore())
        #expect(await broken.isHealthy() == false)
    }
}

@Suite(.timeLimit(.minutes(1))) struct StoreOutageTests {
    @Test func loopsReportStoreErrorsAndKeepGoing() async throws {
        let events = EventCollector()
        let clock = ManualClock()
        let service = WorkerService(
            store: FailingStore(), configuration: WorkerConfiguration(concurrency: 1, shutdownGracePeriod: .zero),
            clock: clock, events: events.sink)
        service.register("a") { _, _ in nil }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            await events.first { if case .storeError(let op, _) = $0 { op == "claimTasks" } else { false } }
            await events.first { if case .storeError(let op, _) = $0 { op == "fireDueJobs" } else { false } }
            await events.first { if case .storeError(let op, _) = $0 { op == "recoverExpiredLeases" } else { false } }
            await clock.waitForSleepers(3)
            clock.advance(by: .seconds(1))  // the claimer tries again after the poll interval
            await events.nth(1) { if case .storeError(let op, _) = $0 { op == "claimTasks" } else { false } }
            service.shutdown()
            try await group.waitForAll()
        }
    }
}
