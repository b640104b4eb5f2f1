import Foundation
import Scheduling

/// Test-only: the system clock as a machine whose clock is `offset` off would read it
/// (`WORKER_DEMO_CLOCK_OFFSET_MS`; the torture test runs one worker so). Sleeps last as long as
/// on the system clock.
struct OffsetClock: ServiceClock {
    static let variable = "WORKER_DEMO_CLOCK_OFFSET_MS"
    let offset: Duration
    private let system = SystemClock()

    var now: Date { system.now.adding(offset) }

    func sleep(until deadline: Date) async throws {
        try await system.sleep(until: deadline.adding(.zero - offset))
    }
}
