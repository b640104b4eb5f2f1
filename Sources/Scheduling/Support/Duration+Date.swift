package import Foundation

extension Duration {
    /// The duration in seconds, as a `Double`.
    package var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }

    /// The duration in whole milliseconds, rounded down.
    package var milliseconds: Int64 {
        let (whole, fraction) = components
        return whole * 1000 + fraction / 1_000_000_000_000_000
    }
}

extension Date {
    /// This date moved by `duration`.
    package func adding(_ duration: Duration) -> Date {
        addingTimeInterval(duration.seconds)
    }

    /// The duration from `earlier` to this date (negative when `earlier` is later).
    package func duration(since earlier: Date) -> Duration {
        .seconds(timeIntervalSince(earlier))
    }
}
