import Foundation
import HatifAPI
import Logging
import ServiceLifecycle

/// Keeps a sandbox's data in a JSON file: loads it at start, saves it every second while it changes, and
/// once more at shutdown, so a rehearsal can be inspected afterwards.
struct SandboxPersistence: Service {
    let file: URL
    let store: SandboxStore
    let logger: Logger

    /// Loads the file into the store when it exists.
    func load() async throws {
        guard FileManager.default.fileExists(atPath: file.path) else { return }
        let data = try Data(contentsOf: file)
        let snapshot = try JSONDecoder.hatif().decode(SandboxSnapshot.self, from: data)
        try await store.load(snapshot)
        logger.info(
            "Loaded sandbox data",
            metadata: ["file": "\(file.path)", "contacts": "\(snapshot.contacts.count)", "properties": "\(snapshot.properties.count)"])
    }

    func run() async throws {
        var saved = await store.revision
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            saved = try await saveIfChanged(since: saved)
        }
        _ = try await saveIfChanged(since: saved)
    }

    /// Writes the file when the store changed after revision `since`; returns the revision saved.
    func saveIfChanged(since: Int) async throws -> Int {
        let revision = await store.revision
        guard revision != since else { return since }
        try await save()
        return revision
    }

    /// Writes the whole workspace to the file atomically (temporary file, then rename).
    func save() async throws {
        let data = try JSONEncoder.hatif(pretty: true).encode(await store.snapshot())
        try data.write(to: file, options: .atomic)
    }
}
