import Foundation
import TaskCore
import Testing

/// `fireDueJobs`: enqueueing, overlap, catch-up, limits and the job status that follows its tasks.
@Suite(.timeLimit(.minutes(1)))
struct JobFiringConformanceTests {
    static func tick(catchUp: CatchUpPolicy = .once, maxAttempts: Int? = nil) -> NewJob {
        NewJob(name: "Tick", type: "tick", schedule: "*/5 * * * *", payload: ["k": "v"], maxAttempts: maxAttempts,
               catchUp: catchUp)
    }

    @Test(arguments: allStoreFactories)
    func aDueJobEnqueuesItsTaskAndAdvances(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.createJob(Self.tick(maxAttempts: 4), now: t0)
            #expect(try await store.fireDueJobs(now: at(299), limit: 10, misfireGrace: .seconds(60)).isEmpty)
            let firings = try await store.fireDueJobs(now: at(300), limit: 10, misfireGrace: .seconds(60))
            let firing = try #require(firings.first)
            #expect(firings.count == 1 && firing.scheduledFor == at(300))
            guard case .enqueued(let task) = firing.outcome else {
                Issue.record("expected a task, got \(firing.outcome)")
                return
            }
            #expect(task.jobId == 1 && task.type == "tick" && task.payload == ["k": "v"] && task.maxAttempts == 4)
            #expect(task.runAt == at(300) && task.status == .pending)
            #expect(firing.job.nextRun == at(600) && firing.job.lastRun == at(300))
            #expect(firing.job.lastTaskId == task.id && firing.job.runCount == 1)
            #expect(try await store.job(1) == firing.job)
            #expect(try await store.fireDueJobs(now: at(300), limit: 10, misfireGrace: .seconds(60)).isEmpty)
            #expect(try await store.nextJobFireTime() == at(600))
        }
    }

    @Test(arguments: allStoreFactories)
    func anUnfinishedPreviousTaskSkipsTheFire(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.createJob(Self.tick(), now: t0)
            _ = try await store.fireDueJobs(now: at(300), limit: 10, misfireGrace: .seconds(60))
            let skipped = try await store.fireDueJobs(now: at(600), limit: 10, misfireGrace: .seconds(60))
            #expect(skipped.first?.outcome == .skippedOverlap(previous: 1))
            #expect(skipped.first?.job.nextRun == at(900) && skipped.first?.job.runCount == 1)
            #expect(try await store.listTasks(TaskQuery(type: "tick")).total == 1)
            let note = try await store.logs(1, limit: 100).last
            #expect(note?.level == .warn && note?.message.contains("skipped") == true, "the skip is logged on the previous task")
            let claim = try await store.claimOne(["tick"], now: at(610))
            let stillRunning = try await store.fireDueJobs(now: at(900), limit: 10, misfireGrace: .seconds(60))
            #expect(stillRunning.first?.outcome == .skippedOverlap(previous: 1))
            _ = try await store.completeTask(1, token: claim.token, result: nil, now: at(1000))
            let next = try await store.fireDueJobs(now: at(1200), limit: 10, misfireGrace: .seconds(60))
            guard case .enqueued(let task)? = next.first?.outcome else {
                Issue.record("expected a task after the previous one completed")
                return
            }
            #expect(task.id == 2 && next.first?.job.runCount == 2)
        }
    }

    @Test(arguments: allStoreFactories)
    func missedTimesAreFiredOnceWithCatchUpOnce(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.createJob(Self.tick(catchUp: .once), now: t0)
            let firings = try await store.fireDueJobs(now: at(3610), limit: 10, misfireGrace: .seconds(60))
            #expect(firings.count == 1 && firings.first?.scheduledFor == at(300))
            #expect(firings.first?.job.nextRun == at(3900))
            #expect(try await store.listTasks(TaskQuery(type: "tick")).total == 1)
        }
    }

    @Test(arguments: allStoreFactories)
    func missedTimesAreDroppedWithCatchUpSkip(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.createJob(Self.tick(catchUp: .skip), now: t0)
            let late = try await store.fireDueJobs(now: at(3610), limit: 10, misfireGrace: .seconds(60))
            #expect(late.first?.outcome == .skippedMissed && late.first?.job.nextRun == at(3900))
            #expect(late.first?.job.runCount == 0)
            #expect(try await store.listTasks(TaskQuery(type: "tick")).total == 0)
            let withinGrace = try await store.fireDueJobs(now: at(3930), limit: 10, misfireGrace: .seconds(60))
            guard case .enqueued? = withinGrace.first?.outcome else {
                Issue.record("a fire within the misfire grace runs")
                return
            }
        }
    }

    @Test(arguments: allStoreFactories)
    func pausedJobsDoNotFireAndLimitsAreKept(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.createJob(Self.tick(), now: at(0))          // next 300
            _ = try await store.createJob(Self.tick(), now: at(300))        // next 600
            _ = try await store.createJob(Self.tick(), now: at(0))          // next 300, paused below
            _ = try await store.createJob(Self.tick(), now: at(0))          // next 300
            _ = try await store.pauseJob(3, now: at(1))
            #expect(try await store.nextJobFireTime() == at(300))
            let firstTwo = try await store.fireDueJobs(now: at(700), limit: 2, misfireGrace: .seconds(3600))
            #expect(firstTwo.map(\.job.id) == [1, 4])
            let rest = try await store.fireDueJobs(now: at(700), limit: 10, misfireGrace: .seconds(3600))
            #expect(rest.map(\.job.id) == [2])
            #expect(try await store.fireDueJobs(now: at(700), limit: 0, misfireGrace: .seconds(60)).isEmpty)
            #expect(try await store.job(3).runCount == 0)
        }
    }

    @Test(arguments: allStoreFactories)
    func jobStatusFollowsItsTasks(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.createJob(Self.tick(maxAttempts: 1), now: t0)
            _ = try await store.fireDueJobs(now: at(300), limit: 10, misfireGrace: .seconds(60))
            let first = try await store.claimOne(["tick"], now: at(300))
            _ = try await store.failTask(first.task.id, token: first.token, error: "x", retryAt: nil, now: at(301))
            #expect(try await store.job(1).status == .failed)
            let firing = try await store.fireDueJobs(now: at(600), limit: 10, misfireGrace: .seconds(60))
            #expect(firing.count == 1, "a failed job keeps firing")
            let second = try await store.claimOne(["tick"], now: at(600))
            _ = try await store.completeTask(second.task.id, token: second.token, result: nil, now: at(601))
            #expect(try await store.job(1).status == .active)
            _ = try await store.fireDueJobs(now: at(900), limit: 10, misfireGrace: .seconds(60))
            _ = try await store.pauseJob(1, now: at(901))
            let third = try await store.claimOne(["tick"], now: at(902))
            _ = try await store.failTask(third.task.id, token: third.token, error: "x", retryAt: nil, now: at(903))
            #expect(try await store.job(1).status == .paused)
        }
    }

    @Test(arguments: allStoreFactories)
    func anExpiredLeaseWithoutAttemptsFailsTheJob(factory: StoreFactory) async throws {
        try await factory.withStore { store in
            _ = try await store.createJob(Self.tick(maxAttempts: 1), now: t0)
            let task = try await store.triggerJob(1, now: at(1))
            _ = try await store.claimOne(["tick"], now: at(1))
            _ = try await store.recoverExpiredLeases(now: at(100))
            #expect(try await store.task(task.id).status == .failed)
            #expect(try await store.job(1).status == .failed)
        }
    }
}
