import ArgumentParser
import Foundation
import HatifImport

/// `--state`: where runs keep their history, checkpoints, journal and source index.
struct StateOptions: ParsableArguments {
    @Option(
        help: """
            The run state: an SQLite file, or postgres://user:password@host:5432/database (env HATIF_STATE). \
            Default $XDG_STATE_HOME/hatif-import/state.sqlite, else ~/.local/state/hatif-import/state.sqlite.
            """)
    var state: String?

    /// The location from the option, else the environment, else the default.
    func location(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> StateLocation {
        guard let text = state ?? environment["HATIF_STATE"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            return .defaultLocation(environment: environment)
        }
        do { return try StateLocation(text) } catch { throw ValidationError(error.description) }
    }
}
