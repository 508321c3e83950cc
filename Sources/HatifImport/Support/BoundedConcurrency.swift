/// Runs jobs in a task group with at most `limit` running at once; each finished job's output goes to
/// `collect` (on the calling task, one at a time), which may return follow-up jobs for the queue.
///
/// Once `shouldStop()` says so, no job is started; the running ones finish. Returns whether every job
/// ran. An error thrown by a job or by `collect` cancels the running jobs and is rethrown.
func runBounded<Job: Sendable, Output: Sendable>(
    _ jobs: [Job], limit: Int, shouldStop: @Sendable () -> Bool = { false },
    run: @escaping @Sendable (Job) async throws -> Output,
    collect: (Output) async throws -> [Job]
) async throws -> Bool {
    var queue = jobs
    var next = 0
    return try await withThrowingTaskGroup(of: Output.self) { group in
        var running = 0
        while true {
            while running < max(1, limit), next < queue.count, !shouldStop() {
                let job = queue[next]
                next += 1
                running += 1
                group.addTask { try await run(job) }
            }
            guard running > 0, let output = try await group.next() else { break }
            running -= 1
            queue += try await collect(output)
        }
        return next == queue.count
    }
}
