import Foundation
import TaskCore
import Synchronization

extension WorkerService {
    /// The pool's one timer loop: renews the leases of every task this process holds (one loop
    /// for all, no timer per task), recovers expired leases of crashed workers, interrupts attempts
    /// past their time limit, prunes old finished tasks and warns about unhandled task types.
    func maintenanceLoop() async {
        let start = clock.now
        var nextRenewal = start.adding(configuration.effectiveRenewalInterval)
        var nextRecovery = start
        let retentionOn = configuration.retention > .zero && store is any TaskStorePruning
        // The first pass comes a little after start-up (not in the middle of it), then every interval.
        var nextRetention = retentionOn ? start.adding(min(configuration.retentionInterval, .seconds(60))) : .distantFuture
        var nextUnhandledCheck = start.adding(configuration.unhandledTypeCheckInterval)
        while !Task.isCancelled {
            var now = clock.now
            let (stopping, idle) = book.withLock { ($0.stopping, $0.running.isEmpty) }
            if stopping && idle { return }
            if !stopping && now >= nextRecovery {
                await recoverExpiredLeases(now: now)
                nextRecovery = now.adding(configuration.effectiveRecoveryInterval)
            }
            if now >= nextRenewal {
                await renewLeases()
                now = clock.now
                nextRenewal = now.adding(configuration.effectiveRenewalInterval)
            }
            if !stopping && now >= nextRetention {
                await pruneFinishedTasks(now: now)
                nextRetention = now.adding(configuration.retentionInterval)
            }
            if !stopping && now >= nextUnhandledCheck {
                await warnAboutUnhandledTypes(now: now)
                nextUnhandledCheck = now.adding(configuration.unhandledTypeCheckInterval)
            }
            now = clock.now
            let earliestDeadline = interruptTimedOut(now: now)
            var wake = min(nextRenewal, earliestDeadline ?? .distantFuture)
            if !stopping { wake = min(wake, nextRecovery, nextRetention, nextUnhandledCheck) }
            book.withLock { $0.maintenanceWake = wake }
            await clock.wait(until: wake, orUntil: maintenanceWake)
        }
    }

    /// Interrupts running attempts whose deadline has passed.
    /// - Returns: the earliest deadline still ahead.
    private func interruptTimedOut(now: Date) -> Date? {
        let (timedOut, earliest) = updateBook { book -> ([TaskID], Date?) in
            var timedOut: [TaskID] = []
            var earliest: Date?
            for entry in book.running.entries where entry.interruption == nil {
                let id = entry.id
                guard let deadline = entry.deadline, let timeout = entry.timeout else { continue }
                if deadline <= now {
                    if book.interrupt(id, .timedOut(timeout)) != nil { timedOut.append(id) }
                } else if earliest.map({ deadline < $0 }) ?? true {
                    earliest = deadline
                }
            }
            return (timedOut, earliest)
        }
        for id in timedOut {
            if let entry = book.withLock({ $0.running[id] }), let reason = entry.interruption {
                events.emit(.handlerInterrupted(task: id, reason: reason.description))
            }
        }
        return earliest
    }

    /// Renews the lease of every task this process holds: running ones and claimed ones waiting
    /// for a slot. A cancelled or lost task's handler is interrupted.
    private func renewLeases() async {
        let held = book.withLock { book -> [(TaskID, Int64)] in
            var held = book.running.entries.filter { $0.interruption == nil }.map { ($0.id, $0.token) }
            held += book.buffer[book.bufferHead...].map { ($0.id, $0.lease?.token ?? 0) }
            return held
        }
        for (id, token) in held {
            let now = clock.now
            do {
                switch try await store.renewLease(id, token: token, until: now.adding(configuration.leaseDuration), now: now) {
                case .renewed: break
                case .cancelled: interruptLocally(id, .cancelled)
                case .lost: interruptLocally(id, .leaseLost)
                }
            } catch {
                if error.code == .notFound || error.code == .leaseLost {
                    interruptLocally(id, .leaseLost)
                } else {
                    events.emit(.storeError(operation: "renewLease(task \(id))", error: error))
                }
            }
        }
    }

    private func recoverExpiredLeases(now: Date) async {
        do {
            let recovered = try await store.recoverExpiredLeases(now: now)
            if !recovered.isEmpty {
                for task in recovered { publish(task) }
                events.emit(.leasesRecovered(recovered.map(\.id)))
                poolWake.signal()
            }
        } catch {
            events.emit(.storeError(operation: "recoverExpiredLeases", error: error))
        }
    }

    private func pruneFinishedTasks(now: Date) async {
        guard let pruning = store as? any TaskStorePruning else { return }
        do {
            let count = try await pruning.pruneFinishedTasks(completedBefore: now.adding(.zero - configuration.retention))
            if count > 0 { events.emit(.pruned(count: count)) }
        } catch {
            events.emit(.storeError(operation: "pruneFinishedTasks", error: error))
        }
    }

    /// Warns (once per type until it clears) about task types with tasks ready for longer than
    /// ``WorkerConfiguration/unhandledTypeWarningAge`` and no handler here.
    private func warnAboutUnhandledTypes(now: Date) async {
        do {
            let unhandled = try await unhandledTaskTypes()
            var stale: [(String, Int)] = []
            for (type, waiting) in unhandled.sorted(by: { $0.key < $1.key }) {
                if let ready = try await store.nextReadyTime(types: [type]),
                    ready.adding(configuration.unhandledTypeWarningAge) <= now
                {
                    stale.append((type, waiting))
                }
            }
            let fresh = warnedTypes.withLock { warned -> [(String, Int)] in
                let staleTypes = Set(stale.map(\.0))
                warned.formIntersection(staleTypes)
                let fresh = stale.filter { !warned.contains($0.0) }
                warned.formUnion(staleTypes)
                return fresh
            }
            for (type, waiting) in fresh { events.emit(.unhandledTaskType(type: type, waiting: waiting)) }
        } catch {
            events.emit(.storeError(operation: "unhandled task type check", error: error))
        }
    }
}
