import Foundation

extension ServiceClock {
    /// Waits until `deadline` on this clock or until `signal` is raised, whichever comes first
    /// (or until the calling task is cancelled).
    func wait(until deadline: Date, orUntil signal: WakeSignal) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await self.sleep(until: deadline) }
            group.addTask { await signal.wait() }
            await group.next()
            group.cancelAll()
        }
    }
}
