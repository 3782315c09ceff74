import Foundation

/// Wakes long-polling lease requests when this scheduler queues work, so an idle
/// agent gets a new job at once instead of at its next poll.
actor WorkSignal {
    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]

    func notifyAll() {
        let current = waiters
        waiters.removeAll()
        for (_, c) in current { c.resume() }
    }

    /// Returns when notified or after `seconds`, whichever comes first.
    func wait(seconds: Double) async {
        let id = UUID()
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            waiters[id] = c
            Task {
                try? await Task.sleep(for: .seconds(seconds))
                self.timeout(id)
            }
        }
    }

    private func timeout(_ id: UUID) {
        waiters.removeValue(forKey: id)?.resume()
    }
}
