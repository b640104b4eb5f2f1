import Foundation
import Scheduling
import Testing

@Suite struct ManualClockTests {
    @Test(.timeLimit(.minutes(1)))
    func advanceResumesDueSleepersOnly() async throws {
        let clock = ManualClock()
        let start = clock.now
        let woken = Locked<[Int]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for seconds in [5, 10] {
                group.addTask {
                    try await clock.sleep(until: start.addingTimeInterval(Double(seconds)))
                    woken.update { $0.append(seconds) }
                }
            }
            await clock.waitForSleepers(2)
            clock.advance(by: .seconds(5))
            await clock.waitForSleepers(1)
            // The 5 s sleeper was resumed; wait for it to record, then check the other is still parked.
            while woken.value.isEmpty, !Task.isCancelled { await Task.yield() }
            #expect(woken.value == [5])
            #expect(clock.sleeperCount == 1)
            clock.advance(to: start.addingTimeInterval(10))
            try await group.waitForAll()
        }
        #expect(woken.value.sorted() == [5, 10])
        #expect(clock.now == start.addingTimeInterval(10))
    }

    @Test(.timeLimit(.minutes(1)))
    func sleepingUntilThePastReturnsAtOnce() async throws {
        let clock = ManualClock()
        try await clock.sleep(until: clock.now.addingTimeInterval(-1))
        #expect(clock.sleeperCount == 0)
    }

    @Test(.timeLimit(.minutes(1)))
    func cancellingASleeperThrowsCancellationError() async throws {
        let clock = ManualClock()
        let task = Task { try await clock.sleep(for: .seconds(60)) }
        await clock.waitForSleepers(1)
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func advanceNeverMovesBackwards() {
        let clock = ManualClock()
        let start = clock.now
        clock.advance(to: start.addingTimeInterval(-100))
        #expect(clock.now == start)
        #expect(clock.nextDeadline == nil)
    }

    @Test(.timeLimit(.minutes(1)))
    func waitingForSleepersEndsWhenCancelled() async {
        let clock = ManualClock()
        let waiter = Task { await clock.waitForSleepers(5) }
        waiter.cancel()
        await waiter.value  // returns instead of hanging
        #expect(clock.sleeperCount == 0)
    }

    @Test(.timeLimit(.minutes(1)))
    func waitForSleeperMatchesAnExactDeadline() async throws {
        let clock = ManualClock()
        let deadline = clock.now.addingTimeInterval(42)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await clock.sleep(until: deadline) }
            await clock.waitForSleeper(until: deadline)
            #expect(clock.nextDeadline == deadline)
            clock.advance(to: deadline)
            try await group.waitForAll()
        }
    }
}
