import Foundation
import HatifImport
import Logging
import PostgresNIO

/// The run-state backends the tests run against: SQLite always; PostgreSQL when `HATIF_TEST_POSTGRES`
/// names a server (`make test` starts a throwaway cluster and sets it).
public enum StateBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    /// The backends this test run has.
    public static var available: [StateBackend] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// The server of the PostgreSQL tests (a database its user may create databases on).
    public static var postgresURL: URL? {
        ProcessInfo.processInfo.environment["HATIF_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : URL(string: $0) }
    }

    public var description: String { rawValue }

    /// A new, empty state: a file in `folder`, or a new database on the test server.
    public func freshLocation(in folder: URL) async throws -> StateLocation {
        switch self {
        case .sqlite: return .sqlite(path: folder.appending(path: "state-\(UUID().uuidString.prefix(8)).sqlite").path)
        case .postgres:
            guard let base = Self.postgresURL else { throw StateBackendError.noServer }
            let name = "hatif_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            try await Self.admin(base) { connection, logger in
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
            }
            var components = try require(URLComponents(url: base, resolvingAgainstBaseURL: false))
            components.path = "/" + name
            return .postgres(url: try require(components.url))
        }
    }

    /// Terminates every other session on the database of `location` (what `pg_terminate_backend` does
    /// to a run's connection when a database administrator or a failover ends it).
    public static func terminateSessions(of location: StateLocation) async throws -> Int {
        guard case .postgres(let url) = location, let base = postgresURL else { return 0 }
        let database = String(url.path.dropFirst())
        var count = 0
        try await admin(base) { connection, logger in
            let rows = try await connection.query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = \(database) AND pid <> pg_backend_pid()", logger: logger)
            for try await _ in rows { count += 1 }
        }
        return count
    }

    private static func admin(_ base: URL, _ body: (PostgresConnection, Logger) async throws -> Void) async throws {
        let logger = Logger(label: "tests.postgres")
        var database = base.path
        if database.hasPrefix("/") { database.removeFirst() }
        let configuration = PostgresConnection.Configuration(
            host: base.host ?? "127.0.0.1", port: base.port ?? 5432, username: base.user ?? "postgres", password: base.password,
            database: database.isEmpty ? "postgres" : database, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 99, logger: logger)
        do {
            try await body(connection, logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// Why a backend cannot be used in this test run.
public enum StateBackendError: Error {
    case noServer
    case missing(String)
}

/// `try #require` for the support library (which does not import Testing).
private func require<T>(_ value: T?, _ what: String = "value") throws -> T {
    guard let value else { throw StateBackendError.missing(what) }
    return value
}

extension StateLocation {
    /// The runs of this state, newest first.
    public func history() async throws -> [RunRecord] {
        try await withStore { try await $0.runs(limit: 1_000) }
    }

    /// The newest run of this state, read through a store opened and closed for the purpose.
    public func lastRun() async throws -> RunRecord? {
        try await withStore { try await $0.runs(limit: 1).first }
    }
}

extension StateLocation {
    /// The location as `--state` takes it (a PostgreSQL URL with its password).
    public var argument: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url): url.absoluteString
        }
    }

    /// Every entry of a run's journal, in input order.
    public func journal(run: Int64) async throws -> [JournalEntry] {
        try await withStore { store in
            var entries: [JournalEntry] = []
            try await store.forEachJournalPage(run: run, pageSize: 1_000) { entries += $0 }
            return entries
        }
    }
}

/// A checkpoint as the run state stores it (JSON), for tests that look for what it must not hold.
public enum RunRecordText {
    public static func of(_ checkpoint: Checkpoint) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(checkpoint), as: UTF8.self)
    }
}
