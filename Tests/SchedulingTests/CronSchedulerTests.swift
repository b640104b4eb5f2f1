import Foundation
import Scheduling
import Testing
import TaskCore

/// The manual clock starts at 2026-01-01T00:00:00Z.
private let midnight = Date(timeIntervalSince1970: 1_767_225_600)
private func at(minutes: Double) -> Date { midnight.addingTimeInterval(minutes * 60) }

private func isFired(_ event: WorkerEvent, job: JobID, at time: Date) -> Bool {
    if case .jobFired(let j, let scheduled, _) = event { return j.id == job && scheduled == time }
    return false
}

@Suite(.timeLimit(.minutes(1))) struct CronSchedulerTests {
    @Test func aJobFiresAtItsNextFireTimeAndEnqueuesItsTask() async throws {
        let t = TestService()
        t.service.register("tick") { _, _ in "tock" }
        try await t.running {
            let job = try await t.service.createJob(
                NewJob(name: "ticker", type: "tick", schedule: "*/5 * * * *", payload: ["n": 1], priority: .high))
            #expect(job.nextRun == at(minutes: 5))
            await t.settle()
            t.clock.advance(to: at(minutes: 5))
            let fired = await t.events.first { isFired($0, job: job.id, at: at(minutes: 5)) }
            guard case .jobFired(_, _, let taskID) = fired else { return }
            await t.events.attemptFinished(taskID, status: .completed)
            let task = try await t.service.task(taskID)
            #expect(task.jobId == job.id)
            #expect(task.payload == ["n": 1])
            #expect(task.priority == .high)
            let after = try await t.service.job(job.id)
            #expect(after.runCount == 1)
            #expect(after.lastTaskId == taskID)
            #expect(after.lastRun == at(minutes: 5))
            #expect(after.nextRun == at(minutes: 10))
        }
    }

    @Test func exactlyOneTaskPerFireTimeWithTwoServiceInstancesOnOneStore() async throws {
        let store = InMemoryTaskStore()
        let clock = ManualClock()
        let events = EventCollector()  // shared: either scheduler may win a fire time
        let a = TestService(store: store, clock: clock, events: events)
        let b = TestService(store: store, clock: clock, events: events)
        for t in [a, b] { t.service.register("tick") { _, _ in nil } }
        try await a.running {
            try await b.running {
                let job = try await a.service.createJob(NewJob(name: "ticker", type: "tick", schedule: "*/5 * * * *"))
                for fire in 1...4 {
                    await clock.waitForSleepers(a.idleSleepers + b.idleSleepers)
                    clock.advance(to: at(minutes: Double(fire * 5)))
                    // Both schedulers wake for the fire time; wait until the job moved on.
                    await events.first { isFired($0, job: job.id, at: at(minutes: Double(fire * 5))) }
                }
                await clock.waitForSleepers(a.idleSleepers + b.idleSleepers)
                let tasks = try await store.listTasks(TaskQuery(limit: 100)).tasks.filter { $0.jobId == job.id }
                #expect(tasks.count == 4)
                #expect(try await store.job(job.id).runCount == 4)
                #expect(events.count { if case .jobFired = $0 { true } else { false } } == 4)
            }
        }
    }

    @Test func aFireIsSkippedWhileThePreviousRunIsUnfinished() async throws {
        let t = TestService()
        t.service.register("backup") { _, context in
            try await context.sleep(for: .seconds(3600))
            return nil
        }
        try await t.running {
            let job = try await t.service.createJob(NewJob(name: "backup", type: "backup", schedule: "*/5 * * * *"))
            await t.settle()
            t.clock.advance(to: at(minutes: 5))
            let fired = await t.events.first { isFired($0, job: job.id, at: at(minutes: 5)) }
            guard case .jobFired(_, _, let first) = fired else { return }
            await t.settle(extra: 1)  // the handler sleeps
            t.clock.advance(to: at(minutes: 10))
            let skipped = await t.events.first {
                if case .jobOverlapSkipped(let j, _, _) = $0 { j.id == job.id } else { false }
            }
            guard case .jobOverlapSkipped(let after, let scheduledFor, let previous) = skipped else { return }
            #expect(previous == first)
            #expect(scheduledFor == at(minutes: 10))
            #expect(after.nextRun == at(minutes: 15))
            #expect(after.runCount == 1)
            let logs = try await t.service.taskLogs(first, limit: 100)
            #expect(logs.contains { $0.level == .warn })  // the store says so in the running task's log
        }
    }

    @Test(arguments: [CatchUpPolicy.once, .skip])
    func missedFireTimesAtStartUpFollowTheCatchUpPolicy(policy: CatchUpPolicy) async throws {
        let t = TestService { $0.misfireGrace = .seconds(60) }
        t.service.register("tick") { _, _ in nil }
        // Created while no scheduler runs; three fire times (00:05, 00:10, 00:15) pass unseen.
        let job = try await t.service.createJob(
            NewJob(name: "ticker", type: "tick", schedule: "*/5 * * * *", catchUp: policy))
        t.clock.advance(to: at(minutes: 17))
        try await t.running {
            switch policy {
            case .once:
                let fired = await t.events.first { if case .jobFired = $0 { true } else { false } }
                guard case .jobFired(_, let scheduledFor, let taskID) = fired else { return }
                #expect(scheduledFor == at(minutes: 5))  // coalesced into one fire
                await t.events.attemptFinished(taskID)
            case .skip:
                await t.events.first { if case .jobMissedSkipped = $0 { true } else { false } }
            }
            await t.settle()
            let tasks = try await t.service.listTasks(TaskQuery()).tasks
            #expect(tasks.count == (policy == .once ? 1 : 0))
            #expect(try await t.service.job(job.id).nextRun == at(minutes: 20))
        }
    }

    @Test func pausedJobsDoNotFireAndResumeSkipsMissedRuns() async throws {
        let t = TestService()
        t.service.register("tick") { _, _ in nil }
        try await t.running {
            let job = try await t.service.createJob(NewJob(name: "ticker", type: "tick", schedule: "*/5 * * * *"))
            let paused = try await t.service.pauseJob(job.id)
            #expect(paused.status == .paused)
            #expect(paused.nextRun == nil)
            #expect(try await t.service.pauseJob(job.id) == paused)  // idempotent
            await t.settle()
            t.clock.advance(to: at(minutes: 12))
            await t.settle()
            #expect(try await t.service.listTasks(TaskQuery()).total == 0)
            let resumed = try await t.service.resumeJob(job.id)
            #expect(resumed.status == .active)
            #expect(resumed.nextRun == at(minutes: 15))
            await t.settle()
            t.clock.advance(to: at(minutes: 15))
            await t.events.first { isFired($0, job: job.id, at: at(minutes: 15)) }
            #expect(try await t.service.job(job.id).runCount == 1)
        }
    }

    @Test func updatingTheScheduleRecomputesNextRunAndWakesTheScheduler() async throws {
        let t = TestService { $0.cronPollInterval = .seconds(86_400) }
        t.service.register("tick") { _, _ in nil }
        try await t.running {
            let job = try await t.service.createJob(NewJob(name: "daily", type: "tick", schedule: "0 0 * * *"))
            #expect(job.nextRun == midnight.addingTimeInterval(86_400))
            await t.settle()
            let updated = try await t.service.updateJob(job.id, JobUpdate(name: "often", schedule: "*/5 * * * *"))
            #expect(updated.name == "often")
            #expect(updated.nextRun == at(minutes: 5))
            // The scheduler was woken and now sleeps until the new fire time, not the old one.
            await t.clock.waitForSleeper(until: at(minutes: 5))
            t.clock.advance(to: at(minutes: 5))
            await t.events.first { isFired($0, job: job.id, at: at(minutes: 5)) }
        }
    }

    @Test func deletedJobsNoLongerFireAndKeepTheirTasks() async throws {
        let t = TestService()
        t.service.register("tick") { _, _ in nil }
        try await t.running {
            let job = try await t.service.createJob(NewJob(name: "ticker", type: "tick", schedule: "*/5 * * * *"))
            let triggered = try await t.service.triggerJob(job.id)
            await t.events.attemptFinished(triggered.id)
            try await t.service.deleteJob(job.id)
            let error = await #expect(throws: TaskCoreError.self) { try await t.service.job(job.id) }
            #expect(error?.code == .notFound)
            await t.settle()
            t.clock.advance(to: at(minutes: 5))
            await t.settle()
            #expect(t.events.count { if case .jobFired = $0 { true } else { false } } == 0)
            #expect(try await t.service.task(triggered.id).status == .completed)
        }
    }

    @Test func triggerEnqueuesNowWithoutMovingTheSchedule() async throws {
        let t = TestService()
        t.service.register("tick") { _, _ in "ran" }
        try await t.running {
            let job = try await t.service.createJob(NewJob(name: "ticker", type: "tick", schedule: "*/5 * * * *"))
            let task = try await t.service.triggerJob(job.id)
            #expect(task.jobId == job.id)
            await t.events.attemptFinished(task.id, status: .completed)
            let after = try await t.service.job(job.id)
            #expect(after.runCount == 1)
            #expect(after.lastTaskId == task.id)
            #expect(after.nextRun == at(minutes: 5))
        }
    }

    @Test func aJobWhoseRunFailedIsFailedUntilTheNextSuccessfulRun() async throws {
        let t = TestService()
        let calls = Locked(0)
        t.service.register("flaky") { _, _ in
            if calls.update({ $0 += 1; return $0 }) == 1 { throw TaskFailure.permanent("disk full") }
            return nil
        }
        try await t.running {
            let job = try await t.service.createJob(
                NewJob(name: "backup", type: "flaky", schedule: "*/5 * * * *", maxAttempts: 1))
            await t.settle()
            t.clock.advance(to: at(minutes: 5))
            let first = await t.events.first { isFired($0, job: job.id, at: at(minutes: 5)) }
            guard case .jobFired(_, _, let firstTask) = first else { return }
            await t.events.attemptFinished(firstTask, status: .failed)
            #expect(try await t.service.job(job.id).status == .failed)
            await t.settle()
            t.clock.advance(to: at(minutes: 10))  // a failed job keeps firing
            let second = await t.events.first { isFired($0, job: job.id, at: at(minutes: 10)) }
            guard case .jobFired(_, _, let secondTask) = second else { return }
            await t.events.attemptFinished(secondTask, status: .completed)
            #expect(try await t.service.job(job.id).status == .active)
        }
    }
}
