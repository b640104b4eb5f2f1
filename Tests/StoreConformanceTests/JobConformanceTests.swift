import Foundation
import TaskCore
import Testing

/// Job CRUD, pause and resume, updates and triggers.
@Suite(.timeLimit(.minutes(1)))
struct JobConformanceTests {
    static let everyFiveMinutes = NewJob(
        name: "Tick", type: "tick", schedule: "*/5 * * * *", payload: ["n": 1], priority: .high, maxAttempts: 2)

    @Test(arguments: allStoreFactories)
    func createdJobIsActiveWithItsFirstFireTime(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            let job = try await store.createJob(Self.everyFiveMinutes, now: at(130))
            #expect(job.id == 1 && job.name == "Tick" && job.type == "tick" && job.schedule == "*/5 * * * *")
            #expect(job.timezone == "UTC" && job.payload == ["n": 1] && job.priority == .high && job.maxAttempts == 2)
            #expect(job.status == .active && job.nextRun == at(300) && job.lastRun == nil && job.lastTaskId == nil)
            #expect(job.runCount == 0 && job.catchUp == .once && job.createdAt == at(130) && job.updatedAt == at(130))
            #expect(try await store.job(1) == job)
            let second = try await store.createJob(NewJob(name: "Daily", type: "backup", schedule: "0 0 * * *"), now: t0)
            #expect(second.id == 2 && second.nextRun == Timestamp.parse("2026-11-30T00:00:00.000Z"))
            #expect(try await store.listJobs().map(\.id) == [1, 2])
        }
    }

    @Test(arguments: allStoreFactories)
    func invalidJobsAreRejected(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            await expectError(.invalidCron) {
                _ = try await store.createJob(NewJob(name: "x", type: "t", schedule: "61 * * * *"), now: t0)
            }
            await expectError(.invalidCron) {
                _ = try await store.createJob(NewJob(name: "x", type: "t", schedule: "* * *"), now: t0)
            }
            let zone = await expectError(.invalidArgument) {
                _ = try await store.createJob(NewJob(name: "x", type: "t", schedule: "* * * * *", timezone: "Mars/Base"), now: t0)
            }
            #expect(zone?.field == "timezone")
            let name = await expectError(.invalidArgument) {
                _ = try await store.createJob(NewJob(name: "", type: "t", schedule: "* * * * *"), now: t0)
            }
            #expect(name?.field == "name")
            await expectError(.invalidArgument) {
                _ = try await store.createJob(NewJob(name: "x", type: "", schedule: "* * * * *"), now: t0)
            }
            await expectError(.invalidArgument) {
                _ = try await store.createJob(NewJob(name: "x", type: "t", schedule: "* * * * *", maxAttempts: 0), now: t0)
            }
            let jobs = try await store.listJobs()
            #expect(jobs.isEmpty)
        }
    }

    @Test(arguments: allStoreFactories)
    func deleteRemovesTheJobButKeepsItsTasks(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.createJob(Self.everyFiveMinutes, now: t0)
            let task = try await store.triggerJob(1, now: at(1))
            try await store.deleteJob(1)
            await expectError(.notFound) { _ = try await store.job(1) }
            await expectError(.notFound) { try await store.deleteJob(1) }
            await expectError(.notFound) { _ = try await store.pauseJob(1, now: t0) }
            await expectError(.notFound) { _ = try await store.resumeJob(1, now: t0) }
            await expectError(.notFound) { _ = try await store.triggerJob(1, now: t0) }
            await expectError(.notFound) { _ = try await store.updateJob(1, JobUpdate(name: "y"), now: t0) }
            #expect(try await store.task(task.id).jobId == 1)
            #expect(try await store.listJobs().isEmpty)
            #expect(try await store.createJob(Self.everyFiveMinutes, now: t0).id == 2)
        }
    }

    @Test(arguments: allStoreFactories)
    func pauseAndResumeAreIdempotent(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.createJob(Self.everyFiveMinutes, now: t0)
            let paused = try await store.pauseJob(1, now: at(10))
            #expect(paused.status == .paused && paused.nextRun == nil && paused.updatedAt == at(10))
            #expect(try await store.pauseJob(1, now: at(20)) == paused)
            #expect(try await store.nextJobFireTime() == nil)
            let resumed = try await store.resumeJob(1, now: at(1000))
            #expect(resumed.status == .active && resumed.nextRun == at(1200) && resumed.updatedAt == at(1000))
            #expect(try await store.resumeJob(1, now: at(2000)) == resumed)
            #expect(try await store.nextJobFireTime() == at(1200))
        }
    }

    @Test(arguments: allStoreFactories)
    func updateRecomputesNextRunOnlyForANewSchedule(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.createJob(Self.everyFiveMinutes, now: t0)
            let renamed = try await store.updateJob(
                1, JobUpdate(name: "Renamed", payload: ["n": 2], priority: .low, maxAttempts: 7, catchUp: .skip), now: at(400))
            #expect(renamed.name == "Renamed" && renamed.payload == ["n": 2] && renamed.priority == .low)
            #expect(renamed.maxAttempts == 7 && renamed.catchUp == .skip && renamed.updatedAt == at(400))
            #expect(renamed.nextRun == at(300) && renamed.schedule == "*/5 * * * *")
            let hourly = try await store.updateJob(1, JobUpdate(schedule: "0 * * * *"), now: at(400))
            #expect(hourly.schedule == "0 * * * *" && hourly.nextRun == at(3600))
            let zoned = try await store.updateJob(1, JobUpdate(schedule: "0 0 * * *", timezone: "Asia/Tokyo"), now: t0)
            #expect(zoned.timezone == "Asia/Tokyo" && zoned.nextRun == Timestamp.parse("2026-11-29T15:00:00.000Z"))
            await expectError(.invalidCron) { _ = try await store.updateJob(1, JobUpdate(schedule: "99 * * * *"), now: t0) }
            await expectError(.invalidArgument) { _ = try await store.updateJob(1, JobUpdate(timezone: "Nowhere/X"), now: t0) }
            await expectError(.invalidArgument) { _ = try await store.updateJob(1, JobUpdate(name: ""), now: t0) }
            #expect(try await store.job(1) == zoned)
            _ = try await store.pauseJob(1, now: t0)
            let pausedUpdate = try await store.updateJob(1, JobUpdate(schedule: "*/5 * * * *"), now: t0)
            #expect(pausedUpdate.status == .paused && pausedUpdate.nextRun == nil)
            #expect(try await store.resumeJob(1, now: t0).nextRun == at(300))
        }
    }

    @Test(arguments: allStoreFactories)
    func triggerEnqueuesNowWithoutMovingNextRun(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.createJob(Self.everyFiveMinutes, now: t0)
            let task = try await store.triggerJob(1, now: at(42))
            #expect(task.type == "tick" && task.payload == ["n": 1] && task.priority == .high && task.maxAttempts == 2)
            #expect(task.jobId == 1 && task.status == .pending && task.runAt == at(42))
            let job = try await store.job(1)
            #expect(job.lastRun == at(42) && job.lastTaskId == task.id && job.runCount == 1 && job.nextRun == at(300))
            _ = try await store.pauseJob(1, now: at(43))
            let whilePaused = try await store.triggerJob(1, now: at(44))
            let afterPause = try await store.job(1)
            #expect(afterPause.runCount == 2 && afterPause.lastTaskId == whilePaused.id && afterPause.status == .paused)
            #expect(try await store.claim(["tick"], limit: 5, now: at(44)).count == 2)
        }
    }
}
