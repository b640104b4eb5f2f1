import Foundation
import Scheduling
import Testing
import TaskCore

@Suite(.timeLimit(.minutes(1))) struct CancellationAndLeaseTests {
    @Test func cancellingARunningTaskCancelsItsHandlerAndDiscardsItsResult() async throws {
        let t = TestService()
        let gate = Gate()
        let handlerSawCancellation = Locked(false)
        t.service.register("long") { _, context in
            gate.open()
            do {
                try await context.sleep(for: .seconds(3600))
            } catch {
                handlerSawCancellation.update { $0 = Task.isCancelled }
            }
            return "ignored"  // returned after the cancel: must be discarded
        }
        try await t.running {
            let task = try await t.create("long")
            await gate.wait()
            await t.settle(extra: 1)
            let cancelled = try await t.service.cancelTask(task.id)
            #expect(cancelled.status == .cancelled)
            await t.events.attemptFinished(task.id, status: .cancelled)
            let after = try await t.service.task(task.id)
            #expect(after.status == .cancelled)
            #expect(after.result == nil)
            #expect(handlerSawCancellation.value)
            // The slot that ran it works again.
            t.service.register("quick") { _, _ in "ok" }
            let next = try await t.create("quick")
            await t.events.attemptFinished(next.id, status: .completed)
        }
    }

    @Test func cancellingFromAnotherProcessIsNoticedAtLeaseRenewal() async throws {
        let t = TestService { $0.leaseDuration = .seconds(30) }
        let gate = Gate()
        t.service.register("long") { _, context in
            gate.open()
            try await context.sleep(for: .seconds(3600))
            return nil
        }
        try await t.running {
            let task = try await t.create("long")
            await gate.wait()
            await t.settle(extra: 1)
            _ = try await t.store.cancelTask(task.id, now: t.clock.now)  // as another process would
            #expect(t.events.count { if case .handlerInterrupted = $0 { true } else { false } } == 0)
            t.clock.advance(by: .seconds(10))  // the renewal period: lease / 3
            await t.events.first { if case .handlerInterrupted(let id, "cancelled") = $0 { id == task.id } else { false } }
            await t.settle()
            #expect(try await t.service.task(task.id).status == .cancelled)
        }
    }

    @Test func leasesAreRenewedWhileAHandlerRuns() async throws {
        let t = TestService { $0.leaseDuration = .seconds(30) }
        let gate = Gate()
        t.service.register("long") { _, context in
            gate.open()
            try await context.sleep(for: .seconds(100))
            return "done"
        }
        try await t.running {
            let task = try await t.create("long")
            await gate.wait()
            for _ in 0..<10 {
                await t.settle(extra: 1)
                t.clock.advance(by: .seconds(10))
            }
            await t.events.attemptFinished(task.id)
            let done = try await t.service.task(task.id)
            #expect(done.status == .completed)
            #expect(done.attempts == 1)
            #expect(t.events.count { if case .leasesRecovered = $0 { true } else { false } } == 0)
        }
    }

    @Test func aCrashedWorkersTaskIsRecoveredWithinOneLeasePeriodAndRunsAgain() async throws {
        let t = TestService { $0.leaseDuration = .seconds(30) }
        t.service.register("job") { _, context in .string("attempt \(context.attempt)") }
        // A worker that claims and then dies: it never renews, completes or releases.
        let created = try await t.store.createTask(NewTask(type: "job"), now: t.clock.now)
        let crashed = try await t.store.claimTasks(
            types: ["job"], worker: "crashed", limit: 1, leaseDuration: .seconds(30), now: t.clock.now)
        #expect(crashed.map(\.id) == [created.task.id])
        try await t.running {
            await t.settle()
            t.clock.advance(by: .seconds(30))
            await t.settle()
            #expect(try await t.service.task(created.task.id).status == .processing)
            t.clock.advance(by: .seconds(10))  // lease ran out; the next recovery pass finds it
            await t.events.first { if case .leasesRecovered(let ids) = $0 { ids == [created.task.id] } else { false } }
            await t.events.attemptFinished(created.task.id, status: .completed)
            let done = try await t.service.task(created.task.id)
            #expect(done.result == "attempt 2")
            // The crashed worker is fenced out.
            await #expect(throws: TaskCoreError.self) {
                try await t.store.completeTask(
                    created.task.id, token: crashed[0].lease!.token, result: nil, now: t.clock.now)
            }
        }
    }

    @Test func gracefulShutdownLetsRunningTasksFinishWithinTheGracePeriod() async throws {
        let t = TestService {
            $0.shutdownGracePeriod = .seconds(10)
            $0.leaseDuration = .seconds(60)
        }
        let gate = Gate()
        t.service.register("short") { _, context in
            gate.open()
            try await context.sleep(for: .seconds(5))
            return "finished"
        }
        let task = try await t.create("short")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await t.service.run() }
            await gate.wait()
            t.service.shutdown()
            await t.clock.waitForSleeper(until: t.clock.now.addingTimeInterval(10))  // the grace period
            t.clock.advance(by: .seconds(5))
            try await group.waitForAll()
        }
        #expect(try await t.store.task(task.id).status == .completed)
    }

    @Test func shutdownReleasesTasksStillRunningAfterTheGracePeriod() async throws {
        let t = TestService {
            $0.shutdownGracePeriod = .seconds(10)
            $0.leaseDuration = .seconds(60)
        }
        let gate = Gate()
        t.service.register("endless") { _, context in
            gate.open()
            try await context.sleep(for: .seconds(3600))
            return nil
        }
        let task = try await t.create("endless")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await t.service.run() }
            await gate.wait()
            t.service.shutdown()
            await t.clock.waitForSleeper(until: t.clock.now.addingTimeInterval(10))  // the grace period
            t.clock.advance(by: .seconds(10))
            try await group.waitForAll()
        }
        let released = try await t.store.task(task.id)
        #expect(released.status == .pending)
        #expect(released.attempts == 0)  // a released attempt is not counted
        #expect(t.events.count { if case .attemptFinished(_, .pending) = $0 { true } else { false } } == 1)
    }

    @Test func cancellingTheRunTaskStopsAtOnceAndReleasesRunningTasks() async throws {
        let t = TestService { $0.shutdownGracePeriod = .seconds(3600) }
        let gate = Gate()
        t.service.register("endless") { _, context in
            gate.open()
            try await context.sleep(for: .seconds(3600))
            return nil
        }
        let task = try await t.create("endless")
        let runner = Task { try await t.service.run() }
        await gate.wait()
        runner.cancel()
        try await runner.value
        #expect(try await t.store.task(task.id).status == .pending)
    }

    @Test func runTwiceAtOnceIsRefused() async throws {
        let t = TestService()
        try await t.running {
            await t.settle()
            let error = await #expect(throws: TaskCoreError.self) { try await t.service.run() }
            #expect(error?.code == .invalidTransition)
        }
        // After a shutdown the service can run again.
        try await t.running { await t.settle() }
    }

    @Test func aHandlersCancellationHandlerMayCallBackIntoThePool() async throws {
        let t = TestService()
        let gate = Gate()
        let sawInterruption = Locked(false)
        t.service.register("careful") { _, context in
            try await withTaskCancellationHandler {
                gate.open()
                try await context.sleep(for: .seconds(3600))
            } onCancel: {
                // Runs synchronously inside the cancel; the pool must not hold its lock then.
                sawInterruption.update { $0 = context.isInterrupted }
            }
            return nil
        }
        try await t.running {
            let task = try await t.create("careful")
            await gate.wait()
            _ = try await t.service.cancelTask(task.id)
            await t.events.attemptFinished(task.id, status: .cancelled)
            #expect(sawInterruption.value)
        }
    }
}
