import Foundation
import HatifTestSupport
import Testing

@testable import HatifImport

@Suite("Run state: SQLite and PostgreSQL behind one protocol")
struct StateStoreTests {
    private static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private static func run(_ workspace: String = "https://api.example.com client crm", source: String = "crm.csv") -> RunRecord {
        let input = InputFingerprint(path: "/data/crm.csv", size: 1_000, modified: Date(timeIntervalSince1970: 1_790_000_000), sha256: "ab")
        var run = RunRecord(workspace: workspace, source: source, inputs: [input], mapping: "cd", report: "/tmp/report")
        run.checkpoint = Checkpoint(inputs: [input], mapping: InputFingerprint(path: "mapping", size: 1, modified: .distantPast, sha256: "cd"))
        return run
    }

    /// Opens `location` at schema `version` (the previous schema), or the newest.
    private static func open(_ location: StateLocation, version: Int? = nil) async throws -> any StateStore {
        switch location {
        case .sqlite(let path): try SQLiteStateStore(path: path, schemaVersion: version.map { "\($0)" })
        case .postgres(let url): try await PostgresStateStore.connect(url: url, schemaVersion: version)
        }
    }

    @Test("an empty database gets the newest schema; a database of the previous schema keeps its runs and gains the source index", arguments: StateBackend.available)
    func migrations(backend: StateBackend) async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = try await backend.freshLocation(in: folder)

        // The previous schema (version 1: runs and journal, no source index), with a run in it that a
        // version-1 hatif-import wrote (its columns only).
        let old = try await Self.open(location, version: 1)
        await old.close()
        let oldRun = Self.run()
        let checkpointJSON = try RunRecordText.of(try #require(oldRun.checkpoint)).replacingOccurrences(of: "'", with: "''")
        let inputsJSON = String(decoding: try JSONEncoder().encode(oldRun.inputs), as: UTF8.self)
        try Self.sql(
            location,
            """
            INSERT INTO runs (workspace, source, inputs, mapping, started, host, pid, status, summary, report, checkpoint)
            VALUES ('\(oldRun.workspace)', 'crm.csv', '\(inputsJSON)', 'cd', 1790000000, 'old-host', 42, 'running', '{}', '/tmp/r', '\(checkpointJSON)')
            """)
        let oldID: Int64 = 1

        let store = try await location.open()
        let migrated = try #require(try await store.run(oldID))
        #expect(migrated.source == "crm.csv" && migrated.status == .running && migrated.checkpoint == oldRun.checkpoint && migrated.host == "old-host")
        #expect(migrated.fullLookup && !migrated.incremental && migrated.kind == .import && migrated.undoes == nil, "the new columns take their documented defaults")
        var checkpoint = try #require(migrated.checkpoint)
        checkpoint.summary.records = 1
        try await store.commit(
            run: oldID, workspace: oldRun.workspace, source: oldRun.source, entries: [],
            index: IndexChanges(upserts: [SourceIndexEntry(key: "phone:+966500000001", hash: 7, contact: "c1", run: oldID)]), checkpoint: checkpoint)
        let found = try await store.indexEntries(workspace: oldRun.workspace, source: oldRun.source, keys: ["phone:+966500000001", "phone:+1"])
        #expect(found["phone:+966500000001"]?.contact == "c1" && found.count == 1)
        await store.close()

        // Opening again applies nothing twice.
        let again = try await location.open()
        #expect(try await again.runs(limit: 10).count == 1)
        await again.close()

        let fresh = try await backend.freshLocation(in: folder)
        let empty = try await fresh.open()
        #expect(try await empty.runs(limit: 10).isEmpty)
        #expect(try await empty.runsSinceFullLookup(workspace: "w", source: "s") == nil)
        await empty.close()
    }

    /// Runs `statement` through the backend's own command-line client (sqlite3, psql), as another
    /// version of hatif-import would have written it.
    private static func sql(_ location: StateLocation, _ statement: String) throws {
        let process = Process()
        switch location {
        case .sqlite(let path):
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            process.arguments = [path, statement]
        case .postgres(let url):
            process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
            process.arguments = [url.absoluteString, "-v", "ON_ERROR_STOP=1", "-qc", statement]
        }
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(statement)")
    }

    @Test("a database written by a newer hatif-import is refused, not used", arguments: StateBackend.available)
    func newerSchema(backend: StateBackend) async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = try await backend.freshLocation(in: folder)
        let store = try await location.open()
        await store.close()
        switch location {
        case .sqlite: try Self.sql(location, "INSERT INTO grdb_migrations (identifier) VALUES ('99')")
        case .postgres: try Self.sql(location, "INSERT INTO hatif_schema VALUES (99, 0)")
        }
        let refused = await #expect(throws: StateError.self) { _ = try await location.open() }
        #expect("\(refused!)".contains("newer hatif-import"))
    }

    @Test("a window's journal, index entries and checkpoint commit in one transaction and read back in input order", arguments: StateBackend.available)
    func commitAndReadBack(backend: StateBackend) async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = try await backend.freshLocation(in: folder)
        let store = try await location.open()
        let run = Self.run()
        // Contact ids as the API writes them (UUIDs, which SQLite keeps as 16 bytes) and any other text.
        let uuid = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
        try await store.lockWorkspace(run.workspace)
        let id = try await store.beginRun(run)
        var checkpoint = try #require(run.checkpoint)
        checkpoint.next = RunPosition(fileIndex: 0, position: ReadPosition(byteOffset: 120, line: 4, ordinal: 3))
        checkpoint.summary.records = 3
        let update = JournalEntry(
            PlanEntry(
                file: "crm.csv", line: 3, ordinal: 2, action: .update, key: "email", contactIDs: ["c2"],
                changes: [FieldChange(field: "FirstName", old: "Sara", new: "Sarah"), FieldChange(field: "property:city", old: nil, new: "Riyadh")],
                reasons: [], outcome: .updated), id: RecordID(fileIndex: 0, ordinal: 2), contact: "c2")
        let entries = [
            JournalEntry(id: RecordID(fileIndex: 0, ordinal: 1), line: 2, action: .create, outcome: .created, key: nil, contact: uuid, detail: nil),
            update,
            JournalEntry(
                PlanEntry(
                    file: "crm.csv", line: 4, ordinal: 3, action: .reject, key: nil, contactIDs: [], changes: [], reasons: ["PhoneNumber \"12\": too short"],
                    outcome: .rejected), id: RecordID(fileIndex: 0, ordinal: 3), contact: nil),
        ]
        try await store.commit(
            run: id, workspace: run.workspace, source: run.source, entries: entries,
            index: IndexChanges(upserts: [
                SourceIndexEntry(key: "phone:+966500000001", hash: -5, contact: uuid, run: id),
                SourceIndexEntry(key: "email:b@example.com", hash: 9, contact: "c2", run: id),
            ]), checkpoint: checkpoint)
        var read: [JournalEntry] = []
        try await store.forEachJournalPage(run: id, pageSize: 2) { read += $0 }
        #expect(read == entries)
        #expect(read[1].changes.map(\.old) == ["Sara", nil], "an update keeps each changed field's old value, for undo")
        #expect(read[0].detail == nil, "a create keeps no values")
        #expect(read[2].planEntry(files: ["crm.csv"]).reasons == ["PhoneNumber \"12\": too short"])
        let saved = try #require(try await store.run(id))
        #expect(saved.checkpoint == checkpoint && saved.summary.records == 3)
        #expect(try await store.journaledContacts(run: id, among: [uuid, "c2", "c9"]) == [uuid, "c2"])
        let index = try await store.indexEntries(workspace: run.workspace, source: run.source, keys: ["phone:+966500000001", "email:b@example.com"])
        #expect(index["phone:+966500000001"]?.hash == -5 && index["phone:+966500000001"]?.contact == uuid)
        #expect(index["email:b@example.com"]?.contact == "c2")
        #expect(try await store.indexEntries(workspace: run.workspace, source: "other.csv", keys: ["phone:+966500000001"]).isEmpty,
            "the index is per workspace and source")

        if case .sqlite(let path) = location {
            for file in [path, path + "-wal"] {
                let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
                #expect(mode == 0o600, "\(file) is readable by its owner only")
            }
        }
        try await store.endRun(id, status: .finished, summary: checkpoint.summary, exitCode: 1)
        let ended = try #require(try await store.run(id))
        #expect(ended.status == .finished && ended.exitCode == 1 && ended.checkpoint == nil && ended.ended != nil)
        #expect(try await store.unfinishedRun(workspace: run.workspace, source: run.source) == nil)
        #expect(try await store.runsSinceFullLookup(workspace: run.workspace, source: run.source) == 0)
        await store.close()
    }

    @Test(
        "what undo and --on-missing read: fingerprints and deleted values in the journal, contacts written twice, the source's missing contacts after seen, flagged, removed and distrusted entries",
        arguments: StateBackend.available)
    func undoAndMissingQueries(backend: StateBackend) async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await (try await backend.freshLocation(in: folder)).open()
        let (a, b, c) = (UUID().uuidString.lowercased(), UUID().uuidString.lowercased(), UUID().uuidString.lowercased())
        let first = Self.run()
        let firstID = try await store.beginRun(first)
        var checkpoint = try #require(first.checkpoint)
        let created = JournalEntry(id: RecordID(fileIndex: 0, ordinal: 1), line: 2, action: .create, outcome: .created, key: "phone", contact: a, detail: nil, written: -42)
        let twice = JournalEntry(id: RecordID(fileIndex: 0, ordinal: 2), line: 3, action: .update, outcome: .updated, key: "phone", contact: a, detail: nil, written: 7)
        let other = JournalEntry(id: RecordID(fileIndex: 0, ordinal: 3), line: 4, action: .create, outcome: .created, key: "phone", contact: b, detail: nil)
        try await store.commit(
            run: firstID, workspace: first.workspace, source: first.source, entries: [created, twice, other],
            index: IndexChanges(upserts: [
                SourceIndexEntry(key: "phone:1", hash: 5, contact: a, run: firstID), SourceIndexEntry(key: "email:a", hash: 6, contact: a, run: firstID),
                SourceIndexEntry(key: "phone:2", hash: 8, contact: b, run: firstID), SourceIndexEntry(key: "phone:3", hash: 9, contact: c, run: firstID),
            ]), checkpoint: checkpoint)
        #expect(try await store.journalPage(run: firstID, after: nil, limit: 10).map(\.written) == [-42, 7, nil])
        #expect(try await store.contactsWrittenTwice(run: firstID) == [a])
        #expect(try await store.journalEntries(run: firstID, contacts: [a]).map(\.id.ordinal) == [1, 2])
        try await store.endRun(firstID, status: .finished, summary: checkpoint.summary, exitCode: 0)
        #expect(try await store.lastFinishedRun(workspace: first.workspace, source: first.source)?.id == firstID)

        // The next run sees a's email only, and c's key as a conflict: b is the one contact missing.
        let second = Self.run()
        let secondID = try await store.beginRun(second)
        checkpoint = try #require(second.checkpoint)
        try await store.commit(
            run: secondID, workspace: second.workspace, source: second.source, entries: [],
            index: IndexChanges(upserts: [SourceIndexEntry(key: "email:a", hash: 6, contact: a, run: secondID)], seen: ["phone:3"]), checkpoint: checkpoint)
        var counts = try await store.missingCounts(workspace: second.workspace, source: second.source, run: secondID)
        #expect(counts == (known: 3, missing: 1, newlyMissing: 1))
        let missing = try await store.missingContacts(workspace: second.workspace, source: second.source, run: secondID, after: nil, limit: 10)
        #expect(missing == [MissingContact(contact: b, key: "phone:2", run: firstID, flagged: false)])
        #expect(try await store.missingContacts(workspace: second.workspace, source: second.source, run: secondID, after: b, limit: 10).isEmpty)

        // Flagged: still missing, no longer new. Removed: gone. Distrusted: every hash but a flag's.
        let snapshot = ContactSnapshot(firstName: "B", lastName: nil, phone: "+966500000002", email: nil, properties: ["tier": "Gold"])
        let deleted = JournalEntry(
            PlanEntry(file: MissingContact.fileLabel, line: 0, ordinal: 1, action: .delete, key: "phone", contactIDs: [b], changes: [], reasons: [], outcome: .deleted),
            id: RecordID(fileIndex: 1, ordinal: 1), contact: b, before: snapshot)
        try await store.commit(
            run: secondID, workspace: second.workspace, source: second.source, entries: [deleted],
            index: IndexChanges(upserts: [SourceIndexEntry(key: "phone:2", hash: SourceIndexEntry.flagged, contact: b, run: firstID)]), checkpoint: checkpoint)
        counts = try await store.missingCounts(workspace: second.workspace, source: second.source, run: secondID)
        #expect(counts == (known: 3, missing: 1, newlyMissing: 0))
        #expect(try await store.journalPage(run: secondID, after: nil, limit: 10).first?.before == snapshot, "what a deleted contact held")
        try await store.commit(
            run: secondID, workspace: second.workspace, source: second.source, entries: [], index: IndexChanges(removed: ["phone:2"], distrustAll: true),
            checkpoint: checkpoint)
        counts = try await store.missingCounts(workspace: second.workspace, source: second.source, run: secondID)
        #expect(counts == (known: 2, missing: 0, newlyMissing: 0))
        let index = try await store.indexEntries(workspace: second.workspace, source: second.source, keys: ["phone:1", "email:a", "phone:3"])
        #expect(index.values.allSatisfy { $0.hash == SourceIndexEntry.untrusted } && index.count == 3)
        #expect(try await store.indexPage(workspace: second.workspace, source: second.source, after: "email:a", limit: 10).map(\.key) == ["phone:1", "phone:3"])

        var undo = Self.run(source: "undo of run \(firstID)")
        undo.kind = .undo
        undo.undoes = firstID
        let undoID = try await store.beginRun(undo)
        #expect(try await store.undo(of: firstID)?.id == undoID)
        let saved = try await store.run(undoID)
        let none = try await store.undo(of: secondID)
        #expect(saved?.kind == .undo && saved?.undoes == firstID && none == nil)
        await store.close()
    }

    @Test("the workspace lock admits one writing run; the refusal names the holder; closing frees it; other workspaces are free", arguments: StateBackend.available)
    func workspaceLock(backend: StateBackend) async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = try await backend.freshLocation(in: folder)
        let first = try await location.open()
        try await first.lockWorkspace("w1")
        let id = try await first.beginRun(Self.run("w1"))
        let second = try await location.open()
        let refused = await #expect(throws: StateError.self) { try await second.lockWorkspace("w1") }
        #expect("\(refused!)".contains("run \(id)") && "\(refused!)".contains("pid \(ProcessInfo.processInfo.processIdentifier)"))
        try await second.lockWorkspace("w2")
        await first.close()
        let third = try await location.open()
        try await third.lockWorkspace("w1")
        #expect(try await third.run(id)?.status == .interrupted, "the run its holder left running is marked interrupted")
        await third.close()
        await second.close()
    }

    @Test("a store that closes frees its workspace lock before close returns: a run open meanwhile takes it at once", arguments: StateBackend.available)
    func closeFreesTheLockAtOnce(backend: StateBackend) async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = try await backend.freshLocation(in: folder)
        let next = try await location.open()
        var refusals = 0
        for round in 0..<300 {
            let holder = try await location.open()
            do {
                try await holder.lockWorkspace("w\(round)")
            } catch {
                await holder.close()
                throw error
            }
            await holder.close()
            // Already connected, so nothing gives the server time to notice the closed connection first.
            do { try await next.lockWorkspace("w\(round)") } catch { refusals += 1 }
        }
        await next.close()
        #expect(refusals == 0, "the lock was still held after close in \(refusals) of 300 rounds")
    }

    @Test("a SQLite store's close frees its lock even while another descriptor of the lock file is open (a process being spawned holds one)")
    func closeFreesTheLockDespiteCopies() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appending(path: "state.sqlite").path
        let holder = try SQLiteStateStore(path: path)
        try await holder.lockWorkspace("w")
        // What a child between fork and exec holds: a copy of the descriptor, the same open file.
        let copy = try #require(holder.lockDescriptor.map { dup($0) })
        #expect(copy >= 0)
        defer { close(copy) }
        await holder.close()
        let next = try SQLiteStateStore(path: path)
        await #expect(throws: Never.self) { try await next.lockWorkspace("w") }
        await next.close()
    }

    @Test("--state reads a path or a PostgreSQL URL, and never shows the password")
    func locations() throws {
        #expect(try StateLocation("/var/lib/hatif-import/state.sqlite") == .sqlite(path: "/var/lib/hatif-import/state.sqlite"))
        let postgres = try StateLocation("postgres://hatif:s3cret@db.internal:5433/imports?sslmode=require")
        #expect("\(postgres)" == "postgres://hatif:•••@db.internal:5433/imports?sslmode=require")
        #expect(throws: StateError.self) { try StateLocation("postgres://") }
        #expect(StateLocation.defaultLocation(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == .sqlite(path: "/s/hatif-import/state.sqlite"))
        #expect(StateLocation.defaultLocation(environment: ["HOME": "/h"]) == .sqlite(path: "/h/.local/state/hatif-import/state.sqlite"))
        #expect(StateDescription.masked("postgresql://u:p@h/d") == "postgresql://u:•••@h/d")
    }

    @Test("make test runs the suite against PostgreSQL too (HATIF_TEST_REQUIRE_POSTGRES)")
    func postgresConfigured() {
        if ProcessInfo.processInfo.environment["HATIF_TEST_REQUIRE_POSTGRES"] == "1" {
            #expect(StateBackend.available.contains(.postgres), "HATIF_TEST_POSTGRES must name the test cluster")
        }
    }
}

/// The masking of `StateLocation` under test.
private enum StateDescription {
    static func masked(_ text: String) -> String { StateLocation.masked(text) }
}
