import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program to its end and measures its own peak RSS.
///
/// The program is started by a small Python parent that reads its child's rusage: a child spawned
/// straight from the test process would report the test process's peak RSS as its own (Linux carries the
/// parent's high-water mark into a `vfork`ed child through `exec`), and Foundation's Process hides the
/// rusage anyway.
public enum MeasuredProcess {
    /// What a finished run printed, returned and used.
    public struct Outcome: Sendable {
        public var status: Int32
        public var output: String
        public var error: String
        /// The child's peak resident set, in MiB.
        public var peakRSSMegabytes: Double
    }

    /// Runs `executable` with `arguments` and `environment`, output captured through temporary files.
    ///
    /// It waits by polling rather than in a blocking `wait4`: a test blocked in one holds a thread of the
    /// task pool (two here) for the child's whole run, and the suite's time-bound tests waited behind it.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]) async throws -> Outcome {
        let folder = FileManager.default.temporaryDirectory.appending(path: "measured-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appending(path: "stdout").path
        let err = folder.appending(path: "stderr").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let rssFile = folder.appending(path: "maxrss").path
        let parent = "import resource, subprocess, sys; code = subprocess.call(sys.argv[2:]); "
            + "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
            + "sys.exit(code if code >= 0 else 128 - code)"
        let python = "python3"
        let argv = ([python, "-c", parent, rssFile, executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, python, &actions, nil, argv, envp)
        guard spawned == 0 else { throw CLIProcessError.executableMissing([python]) }
        var status: Int32 = 0
        var usage = rusage()
        while true {
            let waited = wait4(pid, &status, WNOHANG, &usage)
            if waited == pid || (waited < 0 && errno != EINTR) { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let exited = (status & 0x7f) == 0
        return Outcome(
            status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f),
            output: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            error: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "",
            peakRSSMegabytes: (Double((try? String(contentsOfFile: rssFile, encoding: .utf8)) ?? "") ?? .infinity) / 1024)
    }
}
