import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// The run state in PostgreSQL, through postgres-nio, on one connection held for the run: its
/// transactions commit each window, and a session advisory lock on it is the workspace lock, dropped by
/// the server when the connection ends (the process died, or the connection was terminated).
public actor PostgresStateStore: StateStore {
    public nonisolated let location: String
    private let connection: PostgresConnection
    private let closeRace: ConnectionCloseRace
    private let logger: Logger

    /// The schema versions, in order, each a list of statements applied in one transaction.
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE runs (
                id BIGSERIAL PRIMARY KEY, workspace TEXT NOT NULL, source TEXT NOT NULL, inputs TEXT NOT NULL, mapping TEXT NOT NULL,
                started DOUBLE PRECISION NOT NULL, ended DOUBLE PRECISION, host TEXT NOT NULL, pid BIGINT NOT NULL, status TEXT NOT NULL,
                summary TEXT NOT NULL, exit_code BIGINT, report TEXT NOT NULL, checkpoint TEXT)
            """,
            "CREATE INDEX runs_by_source ON runs (workspace, source, id)",
            """
            CREATE TABLE results (
                run BIGINT NOT NULL, file INTEGER NOT NULL, record INTEGER NOT NULL, line INTEGER NOT NULL, action SMALLINT NOT NULL,
                outcome SMALLINT NOT NULL, key TEXT, contact TEXT, detail TEXT, PRIMARY KEY (run, file, record))
            """,
        ],
        [
            "ALTER TABLE runs ADD COLUMN incremental BOOLEAN NOT NULL DEFAULT false",
            "ALTER TABLE runs ADD COLUMN full_lookup BOOLEAN NOT NULL DEFAULT true",
            "CREATE TABLE sources (id BIGSERIAL PRIMARY KEY, workspace TEXT NOT NULL, source TEXT NOT NULL, UNIQUE (workspace, source))",
            """
            CREATE TABLE source_index (
                scope BIGINT NOT NULL, key TEXT NOT NULL, hash BIGINT NOT NULL, contact TEXT NOT NULL, run BIGINT NOT NULL,
                PRIMARY KEY (scope, key))
            """,
        ],
        [
            "ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'import'",
            "ALTER TABLE runs ADD COLUMN undoes BIGINT",
            "ALTER TABLE results ADD COLUMN written BIGINT",
        ],
    ]

    private init(location: String, connection: PostgresConnection, logger: Logger) {
        self.location = location
        self.connection = connection
        closeRace = ConnectionCloseRace(closeFuture: connection.closeFuture)
        self.logger = logger
    }

    /// Connects to `url` (`postgres://user:password@host:port/database`, `?sslmode=require` for TLS,
    /// `?host=/run/postgresql` for a Unix socket) and migrates the schema to the newest version, or to
    /// `schemaVersion` (tests of the migrations).
    public static func connect(url: URL, schemaVersion: Int? = nil, logger: Logger = Logger(label: "hatif-import.state")) async throws
        -> PostgresStateStore
    {
        let location = StateLocation.masked(url.absoluteString)
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let query = Dictionary((components?.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let user = url.user(percentEncoded: false) ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        let password = url.password(percentEncoded: false)
        var database = url.path
        if database.hasPrefix("/") { database.removeFirst() }
        let configuration: PostgresConnection.Configuration
        if let socket = query["host"], socket.hasPrefix("/") {
            let port = url.port ?? 5432
            configuration = .init(
                unixSocketPath: "\(socket)/.s.PGSQL.\(port)", username: user, password: password, database: database.isEmpty ? user : database)
        } else {
            let tls: PostgresConnection.Configuration.TLS
            switch query["sslmode"] ?? "disable" {
            case "disable", "allow", "prefer": tls = .disable
            default:
                do { tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration())) } catch {
                    throw StateError.database(location: location, reason: "TLS could not be set up: \(error)")
                }
            }
            configuration = .init(
                host: url.host ?? "localhost", port: url.port ?? 5432, username: user, password: password,
                database: database.isEmpty ? user : database, tls: tls)
        }
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        } catch {
            throw StateError.database(location: location, reason: "cannot connect: \(reason(error))")
        }
        let store = PostgresStateStore(location: location, connection: connection, logger: logger)
        do {
            try await store.migrate(upTo: schemaVersion ?? migrations.count)
        } catch {
            try? await connection.close()
            throw error
        }
        return store
    }

    /// Applies the missing schema versions, one transaction each, under a transaction lock so two
    /// processes never migrate at once.
    private func migrate(upTo target: Int) async throws {
        try await run("CREATE TABLE IF NOT EXISTS hatif_schema (version INTEGER PRIMARY KEY, applied DOUBLE PRECISION NOT NULL)")
        let current = try await versions().max() ?? 0
        if current > Self.migrations.count { throw StateError.newerSchema(location: location, version: current, known: Self.migrations.count) }
        guard current < target else { return }
        try await transaction {
            try await self.run("SELECT pg_advisory_xact_lock(7243002001)")
            let applied = try await self.versions().max() ?? 0
            for version in (applied + 1)...target where version > applied {
                for statement in Self.migrations[version - 1] { try await self.run(PostgresQuery(unsafeSQL: statement)) }
                try await self.run("INSERT INTO hatif_schema (version, applied) VALUES (\(version), \(Date().timeIntervalSince1970))")
            }
        }
    }

    /// The schema versions applied.
    func versions() async throws -> [Int] {
        try await rows("SELECT version FROM hatif_schema ORDER BY version") { try $0[0].decode(Int.self) }
    }

    /// The workspace's advisory-lock key: the first 8 bytes of its SHA-256.
    static func lockKey(_ workspace: String) -> Int64 {
        let hex = DraftFingerprint.stableHex(workspace).prefix(16)
        return Int64(bitPattern: UInt64(hex, radix: 16) ?? 0)
    }

    public func lockWorkspace(_ workspace: String) async throws {
        let key = Self.lockKey(workspace)
        let taken = try await rows("SELECT pg_try_advisory_lock(\(key))") { try $0[0].decode(Bool.self) }.first ?? false
        guard taken else {
            let holder = try await rows(
                "SELECT \(unescaped: RunRow.columns) FROM runs WHERE workspace = \(workspace) AND status = 'running' ORDER BY id DESC LIMIT 1",
                Self.runRow
            ).first.map { try $0.record().holderDescription }
            throw StateError.locked(workspace: workspace, holder: holder ?? "a run that has not named itself yet")
        }
        try await run("UPDATE runs SET status = 'interrupted' WHERE workspace = \(workspace) AND status = 'running'")
    }

    public func unfinishedRun(workspace: String, source: String) async throws -> RunRecord? {
        try await rows(
            """
            SELECT \(unescaped: RunRow.columns) FROM runs WHERE workspace = \(workspace) AND source = \(source)
            AND status IN ('running', 'interrupted', 'failed') ORDER BY id DESC LIMIT 1
            """, Self.runRow
        ).first?.record()
    }

    public func lastFinishedRun(workspace: String, source: String) async throws -> RunRecord? {
        try await rows(
            """
            SELECT \(unescaped: RunRow.columns) FROM runs WHERE workspace = \(workspace) AND source = \(source)
            AND status = 'finished' AND kind = 'import' ORDER BY id DESC LIMIT 1
            """, Self.runRow
        ).first?.record()
    }

    public func beginRun(_ run: RunRecord) async throws -> Int64 {
        let inputs = try RunRecord.encode(run.inputs)
        let summary = try RunRecord.encode(run.summary)
        let checkpoint = try run.checkpoint.map(RunRecord.encode)
        return try await rows(
            """
            INSERT INTO runs (workspace, source, inputs, mapping, started, host, pid, status, summary, report, checkpoint, incremental, full_lookup,
                kind, undoes)
            VALUES (\(run.workspace), \(run.source), \(inputs), \(run.mapping), \(run.started.timeIntervalSince1970), \(run.host), \(Int64(run.pid)),
            'running', \(summary), \(run.report), \(checkpoint), \(run.incremental), \(run.fullLookup), \(run.kind.rawValue), \(run.undoes)) RETURNING id
            """
        ) { try $0[0].decode(Int64.self) }.first ?? 0
    }

    public func resumeRun(_ id: Int64, host: String, pid: Int32) async throws {
        try await run("UPDATE runs SET status = 'running', host = \(host), pid = \(Int64(pid)), ended = NULL WHERE id = \(id)")
    }

    public func abandonRun(_ id: Int64) async throws {
        try await run("UPDATE runs SET status = 'abandoned', checkpoint = NULL, ended = \(Date().timeIntervalSince1970) WHERE id = \(id)")
    }

    public func saveCheckpoint(_ checkpoint: Checkpoint, run id: Int64) async throws {
        let text = try RunRecord.encode(checkpoint)
        try await run("UPDATE runs SET checkpoint = \(text) WHERE id = \(id)")
    }

    public func commit(
        run id: Int64, workspace: String, source: String, entries: [JournalEntry], index: IndexChanges, checkpoint: Checkpoint
    ) async throws {
        let text = try RunRecord.encode(checkpoint)
        let summary = try RunRecord.encode(checkpoint.summary)
        // Empty text stands for NULL in the arrays (postgres-nio encodes no optional elements).
        let files = entries.map { Int32($0.id.fileIndex) }
        let records = entries.map { Int32($0.id.ordinal) }
        let lines = entries.map { Int32(clamping: $0.line) }
        let actions = entries.map { Int16(JournalEntry.code($0.action)) }
        let outcomes = entries.map { Int16(JournalEntry.code($0.outcome)) }
        let keys = entries.map { $0.key ?? "" }
        let contacts = entries.map { $0.contact ?? "" }
        let details = entries.map { $0.detail ?? "" }
        // 0 stands for NULL here: a fingerprint is 0 one time in 2^64.
        let written = entries.map { $0.written ?? 0 }
        var latest: [String: SourceIndexEntry] = [:]
        for item in index.upserts { latest[item.key] = item }
        let indexed = Array(latest.values)
        try await transaction {
            if !entries.isEmpty {
                try await self.run(
                    """
                    INSERT INTO results (run, file, record, line, action, outcome, key, contact, detail, written)
                    SELECT \(id), f, r, l, a, o, NULLIF(k, ''), NULLIF(c, ''), NULLIF(d, ''), NULLIF(w, 0)
                    FROM unnest(\(files)::int4[], \(records)::int4[], \(lines)::int4[], \(actions)::int2[], \(outcomes)::int2[],
                                \(keys)::text[], \(contacts)::text[], \(details)::text[], \(written)::int8[]) AS t(f, r, l, a, o, k, c, d, w)
                    ON CONFLICT (run, file, record) DO UPDATE SET line = excluded.line, action = excluded.action, outcome = excluded.outcome,
                        key = excluded.key, contact = excluded.contact, detail = excluded.detail, written = excluded.written
                    """)
            }
            if !index.isEmpty {
                let scope = try await self.scope(workspace: workspace, source: source)
                if !indexed.isEmpty {
                    try await self.run(
                    """
                    INSERT INTO source_index (scope, key, hash, contact, run)
                    SELECT \(scope), k, h, c, r FROM unnest(\(indexed.map(\.key))::text[], \(indexed.map(\.hash))::int8[],
                        \(indexed.map(\.contact))::text[], \(indexed.map(\.run))::int8[]) AS t(k, h, c, r)
                    ON CONFLICT (scope, key) DO UPDATE SET hash = excluded.hash, contact = excluded.contact, run = excluded.run
                    """)
                }
                if !index.seen.isEmpty {
                    try await self.run("UPDATE source_index SET run = \(id) WHERE scope = \(scope) AND key = ANY(\(index.seen)::text[])")
                }
                if !index.removed.isEmpty {
                    try await self.run("DELETE FROM source_index WHERE scope = \(scope) AND key = ANY(\(index.removed)::text[])")
                }
                if index.distrustAll {
                    try await self.run(
                        "UPDATE source_index SET hash = \(SourceIndexEntry.untrusted) WHERE scope = \(scope) AND hash <> \(SourceIndexEntry.flagged)")
                }
            }
            try await self.run("UPDATE runs SET checkpoint = \(text), summary = \(summary) WHERE id = \(id)")
        }
    }

    public func endRun(_ id: Int64, status: RunRecord.Status, summary: PlanSummary, exitCode: Int32?) async throws {
        let text = try RunRecord.encode(summary)
        try await run(
            """
            UPDATE runs SET status = \(status.rawValue), summary = \(text), exit_code = \(exitCode.map { Int64($0) }),
            ended = \(Date().timeIntervalSince1970), checkpoint = CASE WHEN \(status.rawValue) = 'finished' THEN NULL ELSE checkpoint END
            WHERE id = \(id)
            """)
    }

    public func runs(limit: Int) async throws -> [RunRecord] {
        try await rows("SELECT \(unescaped: RunRow.columns) FROM runs ORDER BY id DESC LIMIT \(limit)", Self.runRow).map { try $0.record() }
    }

    public func run(_ id: Int64) async throws -> RunRecord? {
        try await rows("SELECT \(unescaped: RunRow.columns) FROM runs WHERE id = \(id)", Self.runRow).first?.record()
    }

    public func journalPage(run id: Int64, after: RecordID?, limit: Int) async throws -> [JournalEntry] {
        let (file, record) = (Int32(after?.fileIndex ?? -1), Int32(after?.ordinal ?? 0))
        return try await rows(
            """
            SELECT \(unescaped: Self.journalColumns) FROM results
            WHERE run = \(id) AND (file, record) > (\(file), \(record)) ORDER BY file, record LIMIT \(limit)
            """, Self.journalEntry)
    }

    private static let journalColumns = "file, record, line, action, outcome, key, contact, detail, written"

    private static func journalEntry(_ row: PostgresRandomAccessRow) throws -> JournalEntry {
        JournalEntry(
            id: RecordID(fileIndex: Int(try row[0].decode(Int32.self)), ordinal: Int(try row[1].decode(Int32.self))),
            line: Int(try row[2].decode(Int32.self)), action: JournalEntry.action(Int(try row[3].decode(Int16.self))),
            outcome: JournalEntry.outcome(Int(try row[4].decode(Int16.self))), key: try row[5].decode(String?.self),
            contact: try row[6].decode(String?.self), detail: try row[7].decode(String?.self), written: try row[8].decode(Int64?.self))
    }

    public func journalEntries(run id: Int64, contacts: [String]) async throws -> [JournalEntry] {
        guard !contacts.isEmpty else { return [] }
        return try await rows(
            "SELECT \(unescaped: Self.journalColumns) FROM results WHERE run = \(id) AND contact = ANY(\(contacts)::text[]) ORDER BY file, record",
            Self.journalEntry)
    }

    public func contactsWrittenTwice(run id: Int64) async throws -> Set<String> {
        let codes = JournalEntry.writingOutcomeCodes.map { Int16($0) }
        return Set(
            try await rows(
                """
                SELECT contact FROM results WHERE run = \(id) AND contact IS NOT NULL AND outcome = ANY(\(codes)::int2[])
                GROUP BY contact HAVING count(*) > 1
                """
            ) { try $0[0].decode(String.self) })
    }

    public func undo(of run: Int64) async throws -> RunRecord? {
        try await rows(
            "SELECT \(unescaped: RunRow.columns) FROM runs WHERE kind = 'undo' AND undoes = \(run) ORDER BY id DESC LIMIT 1", Self.runRow
        ).first?.record()
    }

    public func missingCounts(workspace: String, source: String, run: Int64) async throws -> (known: Int, missing: Int, newlyMissing: Int) {
        try await rows(
            """
            SELECT count(*), count(*) FILTER (WHERE gone), count(*) FILTER (WHERE gone AND NOT flagged) FROM (
                SELECT NOT bool_or(i.run = \(run)) AS gone, bool_or(i.hash = \(SourceIndexEntry.flagged)) AS flagged
                FROM source_index i JOIN sources s ON s.id = i.scope
                WHERE s.workspace = \(workspace) AND s.source = \(source) GROUP BY i.contact) AS c
            """
        ) { (Int(try $0[0].decode(Int64.self)), Int(try $0[1].decode(Int64.self)), Int(try $0[2].decode(Int64.self))) }.first ?? (0, 0, 0)
    }

    public func missingContacts(workspace: String, source: String, run: Int64, after: String?, limit: Int) async throws -> [MissingContact] {
        try await rows(
            """
            SELECT i.contact, min(i.key), max(i.run), bool_or(i.hash = \(SourceIndexEntry.flagged)) FROM source_index i
            JOIN sources s ON s.id = i.scope
            WHERE s.workspace = \(workspace) AND s.source = \(source) AND i.contact > \(after ?? "")
            GROUP BY i.contact HAVING NOT bool_or(i.run = \(run)) ORDER BY i.contact LIMIT \(limit)
            """
        ) { row in
            MissingContact(
                contact: try row[0].decode(String.self), key: try row[1].decode(String.self), run: try row[2].decode(Int64.self),
                flagged: try row[3].decode(Bool.self))
        }
    }

    public func indexPage(workspace: String, source: String, after: String?, limit: Int) async throws -> [SourceIndexEntry] {
        try await rows(
            """
            SELECT i.key, i.hash, i.contact, i.run FROM source_index i JOIN sources s ON s.id = i.scope
            WHERE s.workspace = \(workspace) AND s.source = \(source) AND i.key > \(after ?? "") ORDER BY i.key LIMIT \(limit)
            """
        ) { row in
            SourceIndexEntry(
                key: try row[0].decode(String.self), hash: try row[1].decode(Int64.self), contact: try row[2].decode(String.self),
                run: try row[3].decode(Int64.self))
        }
    }

    public func journaledContacts(run id: Int64, among contacts: Set<String>) async throws -> Set<String> {
        guard !contacts.isEmpty else { return [] }
        return Set(
            try await rows("SELECT contact FROM results WHERE run = \(id) AND contact = ANY(\(Array(contacts))::text[])") {
                try $0[0].decode(String.self)
            })
    }

    public func indexEntries(workspace: String, source: String, keys: [String]) async throws -> [String: SourceIndexEntry] {
        guard !keys.isEmpty else { return [:] }
        let entries = try await rows(
            """
            SELECT i.key, i.hash, i.contact, i.run FROM source_index i JOIN sources s ON s.id = i.scope
            WHERE s.workspace = \(workspace) AND s.source = \(source) AND i.key = ANY(\(keys)::text[])
            """
        ) { row in
            SourceIndexEntry(
                key: try row[0].decode(String.self), hash: try row[1].decode(Int64.self), contact: try row[2].decode(String.self),
                run: try row[3].decode(Int64.self))
        }
        return Dictionary(entries.map { ($0.key, $0) }, uniquingKeysWith: { $1 })
    }

    public func runsSinceFullLookup(workspace: String, source: String) async throws -> Int? {
        let last = try await rows(
            """
            SELECT max(id) FROM runs WHERE workspace = \(workspace) AND source = \(source) AND status = 'finished' AND full_lookup
            """
        ) { try $0[0].decode(Int64?.self) }.first ?? nil
        guard let last else { return nil }
        return try await rows(
            "SELECT count(*) FROM runs WHERE workspace = \(workspace) AND source = \(source) AND status = 'finished' AND id > \(last)"
        ) { Int(try $0[0].decode(Int64.self)) }.first ?? 0
    }

    public func close() async {
        // The server drops a session's advisory locks only once it has noticed the connection end, which can
        // come after close returns: a run started right after (in this process or the next) would be refused.
        // Unlocking first frees the workspace before close returns (a lost connection has nothing to unlock).
        try? await run("SELECT pg_advisory_unlock_all()")
        try? await connection.close()
    }

    // MARK: Helpers

    private func scope(workspace: String, source: String) async throws -> Int64 {
        try await run("INSERT INTO sources (workspace, source) VALUES (\(workspace), \(source)) ON CONFLICT DO NOTHING")
        return try await rows("SELECT id FROM sources WHERE workspace = \(workspace) AND source = \(source)") { try $0[0].decode(Int64.self) }
            .first ?? 0
    }

    private static func runRow(_ row: PostgresRandomAccessRow) throws -> RunRow {
        RunRow(
            id: try row[0].decode(Int64.self), workspace: try row[1].decode(String.self), source: try row[2].decode(String.self),
            inputs: try row[3].decode(String.self), mapping: try row[4].decode(String.self), started: try row[5].decode(Double.self),
            ended: try row[6].decode(Double?.self), host: try row[7].decode(String.self), pid: try row[8].decode(Int64.self),
            status: try row[9].decode(String.self), summary: try row[10].decode(String.self), exitCode: try row[11].decode(Int64?.self),
            report: try row[12].decode(String.self), checkpoint: try row[13].decode(String?.self), incremental: try row[14].decode(Bool.self),
            fullLookup: try row[15].decode(Bool.self), kind: try row[16].decode(String.self), undoes: try row[17].decode(Int64?.self))
    }

    private func run(_ query: PostgresQuery) async throws { _ = try await send(query) }

    private func rows<T>(_ query: PostgresQuery, _ decode: (PostgresRandomAccessRow) throws -> T) async throws -> [T] {
        do { return try await send(query).map { try decode($0.makeRandomAccess()) } } catch { throw mapped(error) }
    }

    /// Sends `query` and collects its rows; a connection that closes fails the query at once, answered or not
    /// (``ConnectionCloseRace``).
    private func send(_ query: PostgresQuery) async throws -> [PostgresRow] {
        let (connection, logger) = (self.connection, self.logger)
        do {
            let result = try await closeRace.value { () -> EventLoopFuture<PostgresQueryResult> in
                connection.query(query, logger: logger)
            }
            guard let result else { throw StateError.connectionLost(location: location, reason: "the server closed the connection") }
            return result.rows
        } catch {
            throw mapped(error)
        }
    }

    private func transaction(_ body: () async throws -> Void) async throws {
        try await run("BEGIN")
        do {
            try await body()
            try await run("COMMIT")
        } catch {
            try? await run("ROLLBACK")
            throw error
        }
    }

    /// A lost connection stops the run resumably; other errors say what the server said.
    private func mapped(_ error: any Error) -> any Error {
        if error is StateError { return error }
        if let psql = error as? PSQLError {
            switch psql.code {
            case .serverClosedConnection, .uncleanShutdown, .connectionError, .clientClosedConnection:
                return StateError.connectionLost(location: location, reason: Self.reason(error))
            default:
                // 57P0x: the server shut the session (pg_terminate_backend, a restart); 08xxx: connection exceptions.
                if let state = psql.serverInfo?[.sqlState], state.hasPrefix("57P") || state.hasPrefix("08") {
                    return StateError.connectionLost(location: location, reason: Self.reason(error))
                }
            }
        }
        return StateError.database(location: location, reason: Self.reason(error))
    }

    /// What the server or the driver said, without the query's values.
    static func reason(_ error: any Error) -> String {
        if let psql = error as? PSQLError {
            if let message = psql.serverInfo?[.message] {
                return message + (psql.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
            }
            return "\(psql.code)" + (psql.underlying.map { ": \($0)" } ?? "")
        }
        return "\(error)"
    }
}
