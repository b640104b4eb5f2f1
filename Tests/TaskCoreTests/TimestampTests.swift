import Foundation
import TaskCore
import Testing

@Suite struct TimestampTests {
    static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (1_795_917_600_000, "2026-11-29T02:00:00.000Z"),
        (1_795_917_600_123, "2026-11-29T02:00:00.123Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
    ])
    func formatsUTCWithMilliseconds(milliseconds: Int64, text: String) {
        #expect(Timestamp.format(Self.date(milliseconds)) == text)
        #expect(Timestamp.parse(text) == Self.date(milliseconds))
    }

    @Test func formatRoundsDownToTheMillisecond() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1.2349)) == "1970-01-01T00:00:01.234Z")
        #expect(Date(timeIntervalSince1970: 1.2349).truncatedToMilliseconds == Self.date(1234))
        let exact = Self.date(1_795_917_600_123)
        #expect(exact.truncatedToMilliseconds == exact)
    }

    @Test(arguments: [
        ("2026-11-29T02:00:00Z", Int64(1_795_917_600_000)),
        ("2026-11-29T02:00Z", 1_795_917_600_000),
        ("2026-11-29t02:00:00.5z", 1_795_917_600_500),
        ("2026-11-29 02:00:00.12Z", 1_795_917_600_120),
        ("2026-11-29T02:00:00.123456789Z", 1_795_917_600_123),
        ("2026-11-29T04:00:00+02:00", 1_795_917_600_000),
        ("2026-11-28T20:30:00-0530", 1_795_917_600_000),
        ("2026-11-29T02:00:00,250Z", 1_795_917_600_250),
        ("2024-02-29T00:00:00.000Z", 1_709_164_800_000),
    ])
    func parsesZonesOffsetsAndFractions(text: String, milliseconds: Int64) {
        #expect(Timestamp.parse(text) == Self.date(milliseconds))
    }

    @Test(arguments: [
        "", "2026-11-29", "2026-11-29T02:00:00", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
        "2026-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-29T24:00:00Z",
        "2026-11-29T02:60:00Z", "2026-11-29T02:00:60Z", "2026-11-29T02:00:00.Z", "2026-11-29T02:00:00ZZ",
        "2026-11-29T02:00:00+24:00", "2026-11-29T02:00:00+02:60", "2026-11-29T02:00:00.1234567890Z",
        "20261129T020000Z", "2026-1-29T02:00:00Z", "２０２６-11-29T02:00:00Z", "2026-11-29T02:00:00 Z",
        String(repeating: "9", count: 10_000),
    ])
    func rejectsAnythingElse(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test(arguments: [1e300, -1e300, Double.infinity, -Double.infinity, Double.nan, 9.3e15])
    func absurdInstantsFormatWithoutTrapping(seconds: Double) {
        #expect(!Timestamp.format(Date(timeIntervalSince1970: seconds)).isEmpty)
    }

    @Test func leapDaysFollowTheGregorianRules() {
        #expect(Timestamp.parse("2000-02-29T12:00:00Z") != nil)
        #expect(Timestamp.parse("2028-02-29T12:00:00Z") != nil)
        #expect(Timestamp.parse("1900-02-29T12:00:00Z") == nil)
        #expect(Timestamp.format(Timestamp.parse("2028-02-29T23:59:59.999Z")!) == "2028-02-29T23:59:59.999Z")
    }
}
