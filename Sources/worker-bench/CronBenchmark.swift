import Foundation
import TaskCore

/// The `cron` workload: next-fire calculations for four expressions after 100,000 start instants
/// (2026-01-01T00:00:00Z + i × 7 minutes), in UTC and America/New_York; 1 warm-up + 7 runs each.
func runCronBenchmark() async throws {
    let expressions = ["*/5 * * * *", "0 9 * * MON-FRI", "30 2 1,15 * *", "0 0 29 2 *"]
    let zones = ["UTC", "America/New_York"]
    let base = Timestamp.parse("2026-01-01T00:00:00Z")!
    let starts = (0..<100_000).map { base.addingTimeInterval(Double($0) * 420) }
    // One-time cost of a zone's offset table (built on first use, then shared).
    let buildStart = ContinuousClock.now
    _ = try CronExpression("0 0 * * *").nextFire(after: base, in: TimeZone(identifier: "Europe/Paris")!)
    let build = ContinuousClock.now - buildStart
    print("first use of a zone (offset table for Europe/Paris, 1900-2500): \(build)")
    print("expression        zone              calcs/s median        min        max   checksum")
    for zoneName in zones {
        guard let zone = TimeZone(identifier: zoneName) else { throw TaskCoreError.invalidArgument("zone", zoneName) }
        for text in expressions {
            let expression = try CronExpression(text)
            var checksum = 0.0
            let seconds = measure(runs: 7) {
                var sum = 0.0
                for start in starts {
                    sum += expression.nextFire(after: start, in: zone)?.timeIntervalSince1970 ?? 0
                }
                checksum = sum
            }
            let rates = seconds.map { Double(starts.count) / $0 }
            let name = text.padding(toLength: 17, withPad: " ", startingAt: 0)
            let zoneColumn = zoneName.padding(toLength: 17, withPad: " ", startingAt: 0)
            let figures = [median(rates), rates.min()!, rates.max()!].map { fixed($0, 0).leftPadded(to: 10) }
            print("\(name) \(zoneColumn) \(figures.joined(separator: " "))   \(fixed(checksum / Double(starts.count), 0))")
        }
    }

    // Not part of the workload: slow paths, for the record. A wall-clock schedule that only ever
    // falls into New York's skipped hour searches 400 years before answering nil; a fifth Monday
    // of February (AND rule with a `*` day-of-month) occurs about every 28 years.
    print("slow paths (1,000 calls each, median of 7): microseconds per call")
    let newYork = TimeZone(identifier: "America/New_York")!
    for (text, zone) in [("* 2 * 3 SUN#2", newYork), ("0 0 * 2 MON#5", newYork), ("0 0 * 2 MON#5", TimeZone.gmt)] {
        let expression = try CronExpression(text)
        let seconds = measure(runs: 7) {
            for i in 0..<1000 { _ = expression.nextFire(after: starts[i], in: zone) }
        }
        print("  \(text.padding(toLength: 17, withPad: " ", startingAt: 0)) \(zone.identifier.padding(toLength: 17, withPad: " ", startingAt: 0)) \(fixed(median(seconds) * 1000, 2))")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
