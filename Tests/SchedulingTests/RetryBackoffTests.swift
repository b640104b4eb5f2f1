import Scheduling
import Testing

@Suite struct RetryBackoffTests {
    @Test(arguments: [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (7, 60.0), (50, 60.0), (10_000, 60.0)])
    func delaysGrowExponentiallyUpToTheCap(failedAttempts: Int, seconds: Double) {
        let backoff = RetryBackoff(base: .seconds(1), factor: 2, cap: .seconds(60), jitter: .none)
        #expect(backoff.delay(afterFailedAttempts: failedAttempts) == .seconds(seconds))
    }

    @Test func injectedJitterIsAppliedAndClampedToTheCap() {
        let halve = RetryBackoff(base: .seconds(10), factor: 3, cap: .seconds(100), jitter: .init { $0 / 2 })
        #expect(halve.delay(afterFailedAttempts: 2) == .seconds(15))
        let overshoot = RetryBackoff(base: .seconds(10), factor: 3, cap: .seconds(100), jitter: .init { $0 * 10 })
        #expect(overshoot.delay(afterFailedAttempts: 3) == .seconds(100))
        let negative = RetryBackoff(jitter: .init { _ in .seconds(-5) })
        #expect(negative.delay(afterFailedAttempts: 1) == .zero)
    }

    @Test(arguments: 1...20)
    func builtInJittersStayWithinTheirBounds(failedAttempts: Int) {
        let equal = RetryBackoff(base: .seconds(2), factor: 2, cap: .seconds(30), jitter: .equal)
        let full = RetryBackoff(base: .seconds(2), factor: 2, cap: .seconds(30), jitter: .full)
        let exact = RetryBackoff(base: .seconds(2), factor: 2, cap: .seconds(30), jitter: .none)
            .delay(afterFailedAttempts: failedAttempts)
        let e = equal.delay(afterFailedAttempts: failedAttempts)
        let f = full.delay(afterFailedAttempts: failedAttempts)
        #expect(e >= exact / 2 && e <= exact)
        #expect(f >= .zero && f <= exact)
    }
}
