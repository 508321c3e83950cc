/// Counts the sandbox's API requests by operation and status, for tests and rehearsals.
public actor RequestStatistics {
    /// A snapshot of the counts.
    public struct Counts: Codable, Sendable, Equatable {
        /// Requests by operation id, then by status code (as text, e.g. `"201"`).
        public var operations: [String: [String: Int]]
        /// Requests processed and then answered by closing the connection, by operation id.
        public var dropped: [String: Int]

        /// Creates counts.
        public init(operations: [String: [String: Int]] = [:], dropped: [String: Int] = [:]) {
            self.operations = operations
            self.dropped = dropped
        }

        /// Requests to `operation` in all, or with `status` only.
        public func count(_ operation: String, status: Int? = nil) -> Int {
            guard let statuses = operations[operation] else { return 0 }
            if let status { return statuses["\(status)"] ?? 0 }
            return statuses.values.reduce(0, +)
        }

        /// Requests to the operations that write (create, update, delete, set) in all.
        public var writes: Int {
            operations.filter { Self.writeOperations.contains($0.key) }.values.flatMap(\.values).reduce(0, +)
        }

        /// The operations that change the workspace.
        public static let writeOperations: Set<String> = [
            "createContactProperty", "updateContactProperty", "deleteContactProperty", "createContact",
            "updateContact", "deleteContact", "setContactPropertyValue", "deleteContactPropertyValue",
            "createBulkContactsVCards",
        ]

        enum CodingKeys: String, CodingKey {
            case operations = "Operations"
            case dropped = "Dropped"
        }
    }

    private var counts = Counts()
    private var requestNumber = 0

    /// Creates empty statistics.
    public init() {}

    /// The counts so far.
    public func snapshot() -> Counts { counts }

    /// Forgets every count.
    public func reset() { counts = Counts() }

    func nextRequestID() -> String {
        requestNumber += 1
        return "sbx-\(requestNumber)"
    }

    func record(operation: String, status: Int) {
        counts.operations[operation, default: [:]]["\(status)", default: 0] += 1
    }

    func recordDrop(operation: String) { counts.dropped[operation, default: 0] += 1 }
}
