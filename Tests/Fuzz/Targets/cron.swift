import Foundation

// libFuzzer target: cron expressions (compiled with TaskCore's sources by scripts/fuzz.sh). A valid
// expression must yield increasing fire times in UTC and in a zone with daylight saving.
private let zones = [TimeZone(identifier: "UTC")!, TimeZone(identifier: "Europe/Berlin")!]
private let start = Date(timeIntervalSince1970: 1_795_917_600)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCron(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let expression = try? CronExpression(text) else { return 0 }
    for zone in zones {
        var after = start
        for _ in 0..<3 {
            guard let next = expression.nextFire(after: after, in: zone) else { break }
            precondition(next > after)
            after = next
        }
    }
    return 0
}
