/// The contacts that records of the run's recent windows own, shared by the concurrent bulk calls of a
/// window: a contact found while reconciling an unknown outcome is taken by one record only, never by a
/// record whose twin (same phone and email, another match key) created it a moment before.
///
/// Only recent windows are kept: a contact created longer ago than a window's reconciliation can look
/// back (``CreatedContactFinder/clockSkew`` before the call) cannot be taken for a new one anyway.
actor ContactClaims {
    private var windows: [Set<String>] = [[]]
    private let keep: Int

    /// Keeps the claims of the last `keep` windows.
    init(keep: Int = 8) { self.keep = max(1, keep) }

    /// Takes `id` for the asking record; false when a record already owns it.
    func claim(_ id: String) -> Bool {
        guard !owns(id) else { return false }
        windows[windows.count - 1].insert(id)
        return true
    }

    /// Notes that a record owns `id` (a create whose outcome is known).
    func record(_ id: String) { windows[windows.count - 1].insert(id) }

    /// Notes that records own `ids`.
    func record(_ ids: some Sequence<String>) { windows[windows.count - 1].formUnion(ids) }

    /// Whether a record owns `id`.
    func owns(_ id: String) -> Bool { windows.contains { $0.contains(id) } }

    /// Starts the next window's claims, forgetting the oldest window's.
    func nextWindow() {
        windows.append([])
        if windows.count > keep { windows.removeFirst() }
    }
}
