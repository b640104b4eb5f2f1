import Scheduling
import Testing

struct CustomPermanent: NonRetryableError {}

@Suite struct TaskFailureTests {
    @Test func permanentAndRetryableFailuresCarryTheirMessage() {
        #expect(TaskFailure.permanent("bad address").message == "bad address")
        #expect(!TaskFailure.permanent("x").isRetryable)
        #expect(TaskFailure.retryable("later").isRetryable)
        #expect("\(TaskFailure.permanent("bad address"))" == "bad address")
    }

    @Test func swiftTaskStillCompilesForImporters() async {
        // Scheduling must not export a type named `Task` that would hide Swift's.
        let value = await Task { 42 }.value
        #expect(value == 42)
    }
}
