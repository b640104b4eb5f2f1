import Foundation
import TaskCore

/// The `cron` workload: next-fire calculations for four expressions after 100,000 start instants
/// (2026-01-01T00:00:00Z + i × 7 minutes), in UTC and America/New_York; 1 warm-up + 7 runs each.
func runCronBenchmark() async throws {
    let expressions = ["*/5 * * * *", "0 9 * * MON-FRI", "30 2 1,15 * *", "0 0 29 2 *"]
    let zones = ["UTC", "America/New_York"]
    let base = Timestamp.parse("2026-01-01T00:00:00Z")!
    let starts = (0..<100_000).map { base.addingTimeInterval(Double($0) * 420) }
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
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
