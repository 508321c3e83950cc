import Foundation
import GRDB
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The run state in an SQLite file, through GRDB.swift (WAL, a full sync at each commit). The workspace
/// lock is an `flock` on a file beside the database, which the OS drops when the process dies.
public final class SQLiteStateStore: StateStore {
    public let location: String
    private let pool: DatabasePool
    /// The descriptor of the held workspace lock file.
    private let lock = Mutex<Int32?>(nil)

    /// The schema versions, in order; each is applied once, in a transaction.
    static let migrations: [(String, String)] = [
        (
            "1",
            """
            CREATE TABLE runs (
                id INTEGER PRIMARY KEY AUTOINCREMENT, workspace TEXT NOT NULL, source TEXT NOT NULL, inputs TEXT NOT NULL,
                mapping TEXT NOT NULL, started REAL NOT NULL, ended REAL, host TEXT NOT NULL, pid INTEGER NOT NULL,
                status TEXT NOT NULL, summary TEXT NOT NULL, exit_code INTEGER, report TEXT NOT NULL, checkpoint TEXT);
            CREATE INDEX runs_by_source ON runs (workspace, source, id);
            CREATE TABLE results (
                run INTEGER NOT NULL, file INTEGER NOT NULL, record INTEGER NOT NULL, line INTEGER NOT NULL,
                action INTEGER NOT NULL, outcome INTEGER NOT NULL, key TEXT, contact TEXT, detail TEXT,
                PRIMARY KEY (run, file, record)) WITHOUT ROWID;
            """
        ),
        (
            "2",
            """
            ALTER TABLE runs ADD COLUMN incremental INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE runs ADD COLUMN full_lookup INTEGER NOT NULL DEFAULT 1;
            CREATE TABLE sources (id INTEGER PRIMARY KEY, workspace TEXT NOT NULL, source TEXT NOT NULL, UNIQUE (workspace, source));
            CREATE TABLE source_index (
                scope INTEGER NOT NULL, key TEXT NOT NULL, hash INTEGER NOT NULL, contact TEXT NOT NULL, run INTEGER NOT NULL,
                PRIMARY KEY (scope, key)) WITHOUT ROWID;
            """
        ),
        (
            "3",
            """
            ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'import';
            ALTER TABLE runs ADD COLUMN undoes INTEGER;
            ALTER TABLE results ADD COLUMN written INTEGER;
            """
        ),
    ]

    /// Opens (creating it and its folder when missing) the database at `path` and migrates it to the
    /// newest schema, or to `schemaVersion` (tests of the migrations).
    public init(path: String, schemaVersion: String? = nil) throws(StateError) {
        location = path
        do {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            var configuration = Configuration()
            configuration.busyMode = .timeout(30)
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            // Created readable by its owner only; SQLite gives the write-ahead log and its index the same mode.
            if !FileManager.default.fileExists(atPath: path) {
                let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
                if descriptor >= 0 { closeDescriptor(descriptor) }
            }
            pool = try DatabasePool(path: path, configuration: configuration)
            var migrator = DatabaseMigrator()
            for (version, sql) in Self.migrations { migrator.registerMigration(version) { db in try db.execute(sql: sql) } }
            let superseded = try pool.read { db in try migrator.hasBeenSuperseded(db) }
            if superseded {
                let applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
                throw StateError.newerSchema(location: path, version: applied.compactMap { Int($0) }.max() ?? 0, known: Self.migrations.count)
            }
            if let schemaVersion { try migrator.migrate(pool, upTo: schemaVersion) } else { try migrator.migrate(pool) }
        } catch let error as StateError {
            throw error
        } catch {
            throw .database(location: path, reason: "\(error)")
        }
    }

    deinit {
        lock.withLock { descriptor in
            if let descriptor { release(descriptor) }
        }
    }

    /// The descriptor of the held workspace lock, for tests.
    var lockDescriptor: Int32? { lock.withLock { $0 } }

    /// The schema versions applied.
    func appliedVersions() throws -> Set<String> {
        try pool.read { db in
            try Set(String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
        }
    }

    private func lockPath(_ workspace: String) -> String { location + ".lock-" + String(DraftFingerprint.stableHex(workspace).prefix(16)) }

    public func lockWorkspace(_ workspace: String) async throws {
        let path = lockPath(workspace)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StateError.database(location: path, reason: String(cString: strerror(errno))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 512)
            let count = pread(descriptor, &buffer, 512, 0)
            closeDescriptor(descriptor)
            let holder = count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self) : "a run that has not named itself yet"
            throw StateError.locked(workspace: workspace, holder: holder)
        }
        lock.withLock { $0 = descriptor }
        writeHolder(Self.startingHolder)
        try await write { db in
            try db.execute(sql: "UPDATE runs SET status = 'interrupted' WHERE workspace = ? AND status = 'running'", arguments: [workspace])
        }
    }

    /// Writes who holds the lock into its file, for a refused run to name.
    private func writeHolder(_ text: String) {
        lock.withLock { descriptor in
            guard let descriptor else { return }
            let bytes = Array(text.utf8)
            _ = ftruncate(descriptor, 0)
            _ = pwrite(descriptor, bytes, bytes.count, 0)
        }
    }

    public func unfinishedRun(workspace: String, source: String) async throws -> RunRecord? {
        try await newestRun(where: "workspace = ? AND source = ? AND status IN ('running', 'interrupted', 'failed')", [workspace, source])
    }

    public func lastFinishedRun(workspace: String, source: String) async throws -> RunRecord? {
        try await newestRun(where: "workspace = ? AND source = ? AND status = 'finished' AND kind = 'import'", [workspace, source])
    }

    /// The newest run that meets `condition`.
    private func newestRun(where condition: String, _ arguments: StatementArguments) async throws -> RunRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(RunRow.columns) FROM runs WHERE \(condition) ORDER BY id DESC LIMIT 1", arguments: arguments)
                .map(Self.runRow)?.record()
        }
    }

    public func beginRun(_ run: RunRecord) async throws -> Int64 {
        let inputs = try RunRecord.encode(run.inputs)
        let summary = try RunRecord.encode(run.summary)
        let checkpoint = try run.checkpoint.map(RunRecord.encode)
        let id = try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (workspace, source, inputs, mapping, started, host, pid, status, summary, report, checkpoint, incremental, full_lookup,
                        kind, undoes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run.workspace, run.source, inputs, run.mapping, run.started.timeIntervalSince1970, run.host, Int64(run.pid), summary,
                    run.report, checkpoint, run.incremental, run.fullLookup, run.kind.rawValue, run.undoes,
                ])
            return db.lastInsertedRowID
        }
        var named = run
        named.id = id
        writeHolder(named.holderDescription)
        return id
    }

    public func resumeRun(_ id: Int64, host: String, pid: Int32) async throws {
        let started = try await write { db in
            try db.execute(sql: "UPDATE runs SET status = 'running', host = ?, pid = ?, ended = NULL WHERE id = ?", arguments: [host, Int64(pid), id])
            return try Double.fetchOne(db, sql: "SELECT started FROM runs WHERE id = ?", arguments: [id]) ?? 0
        }
        writeHolder("run \(id) (host \(host), pid \(pid), started \(Date(timeIntervalSince1970: started).formatted(.iso8601)), resumed)")
    }

    public func abandonRun(_ id: Int64) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE runs SET status = 'abandoned', checkpoint = NULL, ended = ? WHERE id = ?", arguments: [Date().timeIntervalSince1970, id])
        }
    }

    public func saveCheckpoint(_ checkpoint: Checkpoint, run: Int64) async throws {
        let text = try RunRecord.encode(checkpoint)
        try await write { db in try db.execute(sql: "UPDATE runs SET checkpoint = ? WHERE id = ?", arguments: [text, run]) }
    }

    public func commit(
        run: Int64, workspace: String, source: String, entries: [JournalEntry], index: IndexChanges, checkpoint: Checkpoint
    ) async throws {
        let text = try RunRecord.encode(checkpoint)
        let summary = try RunRecord.encode(checkpoint.summary)
        try await write { db in
            let insert = try db.cachedStatement(
                sql:
                    "INSERT OR REPLACE INTO results (run, file, record, line, action, outcome, key, contact, detail, written) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            )
            for entry in entries {
                try insert.execute(arguments: [
                    run, entry.id.fileIndex, entry.id.ordinal, entry.line, JournalEntry.code(entry.action), JournalEntry.code(entry.outcome),
                    entry.key, ContactIDColumn.value(entry.contact), entry.detail, entry.written,
                ])
            }
            if !index.isEmpty {
                let scope = try Self.scope(db, workspace: workspace, source: source)
                let upsert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO source_index (scope, key, hash, contact, run) VALUES (?, ?, ?, ?, ?)")
                for item in index.upserts {
                    try upsert.execute(arguments: [scope, item.key, item.hash, ContactIDColumn.value(item.contact), item.run])
                }
                let seen = try db.cachedStatement(sql: "UPDATE source_index SET run = ? WHERE scope = ? AND key = ?")
                for key in index.seen { try seen.execute(arguments: [run, scope, key]) }
                let remove = try db.cachedStatement(sql: "DELETE FROM source_index WHERE scope = ? AND key = ?")
                for key in index.removed { try remove.execute(arguments: [scope, key]) }
                if index.distrustAll {
                    try db.execute(sql: "UPDATE source_index SET hash = ? WHERE scope = ? AND hash <> ?", arguments: [SourceIndexEntry.untrusted, scope, SourceIndexEntry.flagged])
                }
            }
            try db.execute(sql: "UPDATE runs SET checkpoint = ?, summary = ? WHERE id = ?", arguments: [text, summary, run])
        }
    }

    public func endRun(_ id: Int64, status: RunRecord.Status, summary: PlanSummary, exitCode: Int32?) async throws {
        let text = try RunRecord.encode(summary)
        try await write { db in
            try db.execute(
                sql: "UPDATE runs SET status = ?, summary = ?, exit_code = ?, ended = ?, checkpoint = CASE WHEN ? = 'finished' THEN NULL ELSE checkpoint END WHERE id = ?",
                arguments: [status.rawValue, text, exitCode.map { Int64($0) }, Date().timeIntervalSince1970, status.rawValue, id])
        }
        writeHolder(Self.startingHolder)
    }

    public func runs(limit: Int) async throws -> [RunRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT \(RunRow.columns) FROM runs ORDER BY id DESC LIMIT ?", arguments: [limit]).map { try Self.runRow($0).record() }
        }
    }

    public func run(_ id: Int64) async throws -> RunRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT \(RunRow.columns) FROM runs WHERE id = ?", arguments: [id]).map(Self.runRow)?.record()
        }
    }

    public func journalPage(run: Int64, after: RecordID?, limit: Int) async throws -> [JournalEntry] {
        let (file, record) = (after?.fileIndex ?? -1, after?.ordinal ?? 0)
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.journalColumns) FROM results
                    WHERE run = ? AND (file > ? OR (file = ? AND record > ?)) ORDER BY file, record LIMIT ?
                    """,
                arguments: [run, file, file, record, limit]
            ).map(Self.journalEntry)
        }
    }

    private static let journalColumns = "file, record, line, action, outcome, key, contact, detail, written"

    private static func journalEntry(_ row: Row) -> JournalEntry {
        JournalEntry(
            id: RecordID(fileIndex: row[0], ordinal: row[1]), line: row[2], action: JournalEntry.action(row[3]), outcome: JournalEntry.outcome(row[4]),
            key: row[5], contact: ContactIDColumn.id(row[6]), detail: row[7], written: row[8])
    }

    public func journalEntries(run: Int64, contacts: [String]) async throws -> [JournalEntry] {
        guard !contacts.isEmpty else { return [] }
        return try await read { db in
            var entries: [JournalEntry] = []
            for chunk in stride(from: 0, to: contacts.count, by: 500) {
                let part = Array(contacts[chunk..<min(contacts.count, chunk + 500)])
                let marks = Array(repeating: "?", count: part.count).joined(separator: ",")
                var values: [(any DatabaseValueConvertible)?] = [run]
                values += part.map(ContactIDColumn.value)
                entries += try Row.fetchAll(
                    db, sql: "SELECT \(Self.journalColumns) FROM results WHERE run = ? AND contact IN (\(marks))", arguments: StatementArguments(values)
                ).map(Self.journalEntry)
            }
            return entries.sorted { ($0.id.fileIndex, $0.id.ordinal) < ($1.id.fileIndex, $1.id.ordinal) }
        }
    }

    public func contactsWrittenTwice(run: Int64) async throws -> Set<String> {
        try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT contact FROM results WHERE run = ? AND contact IS NOT NULL AND outcome IN (?, ?, ?, ?)
                    GROUP BY contact HAVING count(*) > 1
                    """,
                arguments: StatementArguments([run]) + StatementArguments(JournalEntry.writingOutcomeCodes))
            return Set(rows.compactMap { ContactIDColumn.id($0[0]) })
        }
    }

    public func undo(of run: Int64) async throws -> RunRecord? {
        try await newestRun(where: "kind = 'undo' AND undoes = ?", [run])
    }

    public func missingCounts(workspace: String, source: String, run: Int64) async throws -> (known: Int, missing: Int, newlyMissing: Int) {
        try await read { db in
            guard let scope = try Self.existingScope(db, workspace: workspace, source: source) else { return (0, 0, 0) }
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT count(*), coalesce(sum(gone), 0), coalesce(sum(gone AND NOT flagged), 0) FROM (
                        SELECT max(run = ?) = 0 AS gone, max(hash = ?) AS flagged FROM source_index WHERE scope = ? GROUP BY contact)
                    """,
                arguments: [run, SourceIndexEntry.flagged, scope])
            return (row?[0] ?? 0, row?[1] ?? 0, row?[2] ?? 0)
        }
    }

    public func missingContacts(workspace: String, source: String, run: Int64, after: String?, limit: Int) async throws -> [MissingContact] {
        try await read { db in
            guard let scope = try Self.existingScope(db, workspace: workspace, source: source) else { return [] }
            let start = ContactIDColumn.value(after)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT contact, min(key), max(run), max(hash = ?) FROM source_index WHERE scope = ? AND (? IS NULL OR contact > ?)
                    GROUP BY contact HAVING max(run = ?) = 0 ORDER BY contact LIMIT ?
                    """,
                arguments: [SourceIndexEntry.flagged, scope, start, start, run, limit]
            ).compactMap { row in
                ContactIDColumn.id(row[0]).map { MissingContact(contact: $0, key: row[1], run: row[2], flagged: row[3]) }
            }
        }
    }

    public func indexPage(workspace: String, source: String, after: String?, limit: Int) async throws -> [SourceIndexEntry] {
        try await read { db in
            guard let scope = try Self.existingScope(db, workspace: workspace, source: source) else { return [] }
            return try Row.fetchAll(
                db, sql: "SELECT key, hash, contact, run FROM source_index WHERE scope = ? AND key > ? ORDER BY key LIMIT ?",
                arguments: [scope, after ?? "", limit]
            ).map { row in SourceIndexEntry(key: row[0], hash: row[1], contact: ContactIDColumn.id(row[2]) ?? "", run: row[3]) }
        }
    }

    public func journaledContacts(run: Int64, among contacts: Set<String>) async throws -> Set<String> {
        guard !contacts.isEmpty else { return [] }
        let list = Array(contacts)
        return try await read { db in
            var found = Set<String>()
            for chunk in stride(from: 0, to: list.count, by: 500) {
                let part = Array(list[chunk..<min(list.count, chunk + 500)])
                let marks = Array(repeating: "?", count: part.count).joined(separator: ",")
                var values: [(any DatabaseValueConvertible)?] = [run]
                values += part.map(ContactIDColumn.value)
                let rows = try Row.fetchAll(db, sql: "SELECT contact FROM results WHERE run = ? AND contact IN (\(marks))", arguments: StatementArguments(values))
                found.formUnion(rows.compactMap { ContactIDColumn.id($0[0]) })
            }
            return found
        }
    }

    public func indexEntries(workspace: String, source: String, keys: [String]) async throws -> [String: SourceIndexEntry] {
        guard !keys.isEmpty else { return [:] }
        return try await read { db in
            guard let scope = try Self.existingScope(db, workspace: workspace, source: source) else { return [:] }
            var entries: [String: SourceIndexEntry] = [:]
            let statement = try db.cachedStatement(sql: "SELECT hash, contact, run FROM source_index WHERE scope = ? AND key = ?")
            for key in keys {
                if let row = try Row.fetchOne(statement, arguments: [scope, key]) {
                    entries[key] = SourceIndexEntry(key: key, hash: row[0], contact: ContactIDColumn.id(row[1]) ?? "", run: row[2])
                }
            }
            return entries
        }
    }

    public func runsSinceFullLookup(workspace: String, source: String) async throws -> Int? {
        try await read { db in
            guard
                let last = try Int64.fetchOne(
                    db, sql: "SELECT max(id) FROM runs WHERE workspace = ? AND source = ? AND status = 'finished' AND full_lookup = 1",
                    arguments: [workspace, source])
            else { return nil }
            return try Int.fetchOne(
                db, sql: "SELECT count(*) FROM runs WHERE workspace = ? AND source = ? AND status = 'finished' AND id > ?",
                arguments: [workspace, source, last]) ?? 0
        }
    }

    public func close() async {
        lock.withLock { descriptor in
            if let descriptor { release(descriptor) }
            descriptor = nil
        }
        try? pool.close()
    }

    // MARK: Helpers

    private static func scope(_ db: Database, workspace: String, source: String) throws -> Int64 {
        try db.execute(sql: "INSERT OR IGNORE INTO sources (workspace, source) VALUES (?, ?)", arguments: [workspace, source])
        return try existingScope(db, workspace: workspace, source: source) ?? 0
    }

    /// The id of a workspace and source in `sources`; nil when no run of it has written its index yet.
    private static func existingScope(_ db: Database, workspace: String, source: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM sources WHERE workspace = ? AND source = ?", arguments: [workspace, source])
    }

    private static func runRow(_ row: Row) -> RunRow {
        RunRow(
            id: row[0], workspace: row[1], source: row[2], inputs: row[3], mapping: row[4], started: row[5], ended: row[6], host: row[7],
            pid: row[8], status: row[9], summary: row[10], exitCode: row[11], report: row[12], checkpoint: row[13], incremental: row[14],
            fullLookup: row[15], kind: row[16], undoes: row[17])
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await pool.read(body) } catch let error as DatabaseError { throw StateError.database(location: location, reason: "\(error)") }
    }

    @discardableResult
    private func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await pool.write(body) } catch let error as DatabaseError { throw StateError.database(location: location, reason: "\(error)") }
    }
}

/// `close(2)` (inside the store, `close` names its own method).
private func closeDescriptor(_ descriptor: Int32) { _ = close(descriptor) }

/// Unlocks and closes a held lock file. Closing alone does not free an `flock` while another descriptor
/// of the same open file exists: a process another thread is spawning holds a copy of every descriptor
/// until its `exec` closes them (`O_CLOEXEC`), and a run that opened the state meanwhile was refused
/// (1 in 300 closes, with tests spawning processes beside). `LOCK_UN` frees the lock for every copy.
private func release(_ descriptor: Int32) {
    _ = flock(descriptor, LOCK_UN)
    closeDescriptor(descriptor)
}
