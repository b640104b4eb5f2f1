public import Foundation

/// An optional ability: telling the time by the store's own clock.
///
/// Processes on several machines that share one store stamp leases, claims and rate windows with
/// their own clocks; a machine whose clock is off by more than a fraction of the lease takes other
/// workers' healthy tasks for expired, and one ahead of the rest sees a queue's rate window empty
/// early. Aligning every process with the store's clock (`StoreAlignedClock` in Scheduling) gives
/// them one time. A store that only processes of one machine share (SQLite) has no need of it.
public protocol TaskStoreClock: TaskStore {
    /// The store's current time.
    /// - Throws: the store's errors (`storageFailure`).
    func storeTime() async throws(TaskCoreError) -> Date
}
