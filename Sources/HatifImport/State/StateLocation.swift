import Foundation

/// Where runs keep their state (`--state`, `HATIF_STATE`): an SQLite file, or a PostgreSQL database for jobs
/// whose machine does not outlive the run.
public enum StateLocation: Sendable, Hashable, CustomStringConvertible {
    /// An SQLite database file (GRDB.swift).
    case sqlite(path: String)
    /// A PostgreSQL database (postgres-nio), `postgres://user:password@host:port/database?sslmode=…`.
    case postgres(url: URL)

    /// Reads `--state`: `postgres://…` or `postgresql://…` means PostgreSQL, anything else a file path.
    public init(_ text: String) throws(StateError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw .badLocation("the state location is empty") }
        if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            guard let url = URL(string: trimmed), url.host != nil || url.query?.contains("host=") == true else {
                throw .badLocation("\(Self.masked(trimmed)) is not a PostgreSQL URL (postgres://user:password@host:5432/database)")
            }
            self = .postgres(url: url)
        } else {
            self = .sqlite(path: trimmed)
        }
    }

    /// `$STATE_DIRECTORY/state.sqlite` under systemd, else `$XDG_STATE_HOME/hatif-import/state.sqlite`, else
    /// `~/.local/state/hatif-import/state.sqlite`.
    public static func defaultLocation(environment: [String: String] = ProcessInfo.processInfo.environment) -> StateLocation {
        // systemd's StateDirectory= (the packaged hatif-import@.service): the first directory it names.
        if let directory = environment["STATE_DIRECTORY"]?.split(separator: ":").first, directory.hasPrefix("/") {
            return .sqlite(path: directory + "/state.sqlite")
        }
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            return .sqlite(path: xdg + "/hatif-import/state.sqlite")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return .sqlite(path: home + "/.local/state/hatif-import/state.sqlite")
    }

    /// The location as a user may see it: a PostgreSQL password is masked.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url): Self.masked(url.absoluteString)
        }
    }

    /// `postgres://user:•••@host/db` for `postgres://user:secret@host/db`.
    static func masked(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@") else { return text }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":•••" + String(text[at...])
    }

    /// Opens the store, runs `body` with it, and closes it (its lock and connection) however `body` ends.
    public func withStore<T>(_ body: (any StateStore) async throws -> T) async throws -> T {
        let store = try await open()
        do {
            let value = try await body(store)
            await store.close()
            return value
        } catch {
            await store.close()
            throw error
        }
    }

    /// Opens the store, creating it (and its folder) when missing, and brings its schema up to date.
    public func open() async throws -> any StateStore {
        switch self {
        case .sqlite(let path): try SQLiteStateStore(path: path)
        case .postgres(let url): try await PostgresStateStore.connect(url: url)
        }
    }
}
