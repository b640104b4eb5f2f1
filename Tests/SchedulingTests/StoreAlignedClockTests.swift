import Foundation
import Scheduling
import TaskCore
import Testing

/// A store whose clock is `ahead` of the test's manual clock, and whose answer takes `roundTrip`
/// of it (the manual clock is advanced while the store "answers").
final class SkewedStoreClock: TaskStoreClock, ForwardingStore {
    let base: any TaskStore = InMemoryTaskStore()
    let clock: ManualClock
    let ahead: Duration
    let roundTrip: Duration

    init(clock: ManualClock, ahead: Duration, roundTrip: Duration = .zero) {
        self.clock = clock
        self.ahead = ahead
        self.roundTrip = roundTrip
    }

    func storeTime() async throws(TaskCoreError) -> Date {
        clock.advance(by: roundTrip / 2)
        defer { clock.advance(by: roundTrip / 2) }
        return clock.now.adding(ahead)
    }
}

struct StoreAlignedClockTests {
    @Test func aMachineBehindTheStoreTellsTheStoresTime() async throws {
        let manual = ManualClock()
        let aligned = StoreAlignedClock(base: manual)
        #expect(aligned.now == manual.now)  // no correction before the first measurement
        let measured = try await aligned.align(with: SkewedStoreClock(clock: manual, ahead: .seconds(3), roundTrip: .milliseconds(40)))
        #expect(measured == .seconds(3))
        #expect(aligned.offset == .seconds(3))
        #expect(aligned.now == manual.now.adding(.seconds(3)))
    }

    @Test func aSlowMeasurementIsDroppedAndTheOldOffsetStays() async throws {
        let manual = ManualClock()
        let aligned = StoreAlignedClock(base: manual, maxRoundTrip: .milliseconds(100))
        try await aligned.align(with: SkewedStoreClock(clock: manual, ahead: .seconds(-2)))
        let slow = try await aligned.align(with: SkewedStoreClock(clock: manual, ahead: .seconds(9), roundTrip: .milliseconds(300)))
        #expect(slow == nil)
        #expect(aligned.offset == .seconds(-2))
    }

    @Test func anOffsetBelowTheMinimumCorrectionCountsAsNone() async throws {
        let manual = ManualClock()
        let aligned = StoreAlignedClock(base: manual, minimumCorrection: .milliseconds(10))
        #expect(try await aligned.align(with: SkewedStoreClock(clock: manual, ahead: .milliseconds(9))) == .zero)
        #expect(aligned.now == manual.now)
        #expect(try await aligned.align(with: SkewedStoreClock(clock: manual, ahead: .milliseconds(-11))) == .milliseconds(-11))
    }

    @Test(.timeLimit(.minutes(1)))
    func sleepingUntilAStoreTimeWaitsForTheMachineTimeThatMeansIt() async throws {
        let manual = ManualClock()
        let aligned = StoreAlignedClock(base: manual)
        try await aligned.align(with: SkewedStoreClock(clock: manual, ahead: .seconds(5)))
        let deadline = aligned.now.adding(.seconds(10))
        let woke = Task { try await aligned.sleep(until: deadline) }
        await manual.waitForSleepers(1)
        manual.advance(by: .seconds(10))
        try await woke.value
        #expect(aligned.now == deadline)
    }
}
