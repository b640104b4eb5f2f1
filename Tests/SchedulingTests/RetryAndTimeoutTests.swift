import Foundation
import Scheduling
import Testing
import TaskCore

struct Boom: Error, CustomStringConvertible {
    var description: String { "boom" }
}

@Suite(.timeLimit(.minutes(1))) struct RetryAndTimeoutTests {

    /// A handler that takes its dependencies' results must never run without them: a failed read
    /// fails the attempt (retried as any failure), and the next attempt sees them.
    @Test(.timeLimit(.minutes(1)))
    func aFailedReadOfDependencyResultsFailsTheAttemptInsteadOfRunningWithout() async throws {
        let t = TestService(store: FailingDependencyReadStore())
        let seen = Locked<[[TaskID: JSONValue?]]>([])
        t.service.register("a") { _, _ in ["n": 1] }
        t.service.register("collect") { _, context in
            seen.update { $0.append(context.dependencyResults) }
            return "collected"
        }
        try await t.running {
            let first = try await t.create("a")
            let callback = try await t.create("collect") { $0.dependsOn = [first.id] }
            await t.events.attemptFinished(callback.id, status: .retrying)
            let retrying = try await t.service.task(callback.id)
            #expect(retrying.error?.hasPrefix("could not read the results of its dependencies: PostgreSQL:") == true)
            #expect(seen.value.isEmpty)
            await t.settle()
            t.clock.advance(by: .seconds(1))
            await t.events.attemptFinished(callback.id, status: .completed)
            #expect(seen.value.count == 1)
            #expect(seen.value.first?[first.id] == .some(["n": 1]))
        }
    }
    @Test func thrownErrorsRetryWithExponentialBackoffThenSucceed() async throws {
        let t = TestService()
        let calls = Locked(0)
        t.service.register("flaky") { _, _ in
            let call = calls.update { $0 += 1; return $0 }
            if call < 3 { throw Boom() }
            return "finally"
        }
        try await t.running {
            let task = try await t.create("flaky") { $0.maxAttempts = 3 }
            let start = t.clock.now
            await t.events.attemptFinished(task.id, status: .retrying)
            var current = try await t.service.task(task.id)
            #expect(current.status == .retrying)
            #expect(current.error == "boom")
            #expect(current.runAt == start.addingTimeInterval(1))  // base 1 s
            await t.settle()
            t.clock.advance(by: .seconds(1))
            await t.events.attemptFinished(task.id, status: .retrying, count: 2)
            current = try await t.service.task(task.id)
            #expect(current.runAt == start.addingTimeInterval(1 + 2))  // factor 2
            await t.settle()
            t.clock.advance(by: .seconds(2))
            await t.events.attemptFinished(task.id, status: .completed)
            current = try await t.service.task(task.id)
            #expect(current.attempts == 3)
            #expect(current.result == "finally")
        }
    }

    @Test func exhaustedAttemptsFailWithTheErrorStored() async throws {
        let t = TestService()
        t.service.register("bad") { _, _ in throw Boom() }
        try await t.running {
            let task = try await t.create("bad") { $0.maxAttempts = 2 }
            await t.events.attemptFinished(task.id, status: .retrying)
            await t.settle()
            t.clock.advance(by: .seconds(1))
            await t.events.attemptFinished(task.id, status: .failed)
            let failed = try await t.service.task(task.id)
            #expect(failed.status == .failed)
            #expect(failed.attempts == 2)
            #expect(failed.error == "boom")
            #expect(failed.completedAt != nil)
        }
    }

    @Test(arguments: [true, false])
    func nonRetryableErrorsFailAtOnce(useMarkerProtocol: Bool) async throws {
        let t = TestService()
        t.service.register("bad") { _, _ in
            if useMarkerProtocol { throw CustomPermanent() }
            throw TaskFailure.permanent("address does not exist")
        }
        try await t.running {
            let task = try await t.create("bad") { $0.maxAttempts = 5 }
            await t.events.attemptFinished(task.id)
            let failed = try await t.service.task(task.id)
            #expect(failed.status == .failed)
            #expect(failed.attempts == 1)
            if !useMarkerProtocol { #expect(failed.error == "address does not exist") }
        }
    }

    @Test func retryableTaskFailureStoresItsMessage() async throws {
        let t = TestService()
        t.service.register("later") { _, _ in throw TaskFailure.retryable("server busy") }
        try await t.running {
            let task = try await t.create("later")
            await t.events.attemptFinished(task.id)
            let current = try await t.service.task(task.id)
            #expect(current.status == .retrying)
            #expect(current.error == "server busy")
        }
    }

    @Test func defaultTimeoutCancelsTheHandlerAndCountsAsAFailedAttempt() async throws {
        let t = TestService { $0.defaultTimeout = .seconds(5) }
        let sawCancellation = Locked(false)
        t.service.register("slow") { _, context in
            do {
                try await context.sleep(for: .seconds(3600))
            } catch is CancellationError {
                sawCancellation.update { $0 = true }
                throw CancellationError()
            }
            return "too late"
        }
        try await t.running {
            let task = try await t.create("slow") { $0.maxAttempts = 1 }
            await t.settle(extra: 1)
            t.clock.advance(by: .seconds(4))
            await t.settle(extra: 1)
            #expect(try await t.service.task(task.id).status == .processing)
            t.clock.advance(by: .seconds(1))
            await t.events.attemptFinished(task.id)
            let failed = try await t.service.task(task.id)
            #expect(failed.status == .failed)
            #expect(failed.error == "timed out after 5000 ms")
            #expect(sawCancellation.value)
        }
    }

    @Test func perTaskTimeoutOverridesTheDefaultAndRetries() async throws {
        let t = TestService { $0.defaultTimeout = .seconds(300) }
        t.service.register("slow") { _, context in
            try await context.sleep(for: .seconds(3600))
            return nil
        }
        try await t.running {
            let task = try await t.create("slow") {
                $0.timeout = .milliseconds(1500)
                $0.maxAttempts = 2
            }
            await t.settle(extra: 1)
            t.clock.advance(by: .milliseconds(1500))
            await t.events.attemptFinished(task.id, status: .retrying)
            let current = try await t.service.task(task.id)
            #expect(current.error == "timed out after 1500 ms")
            #expect(current.attempts == 1)
        }
    }
}
