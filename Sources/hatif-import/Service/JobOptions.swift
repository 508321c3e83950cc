import ArgumentParser

/// `--config FILE`: the job file whose settings apply where neither the command line nor the
/// environment sets them (read by ``JobConfiguration`` before the command is parsed).
struct JobOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "A job file (YAML): option names as keys, e.g. max-rps: 20. Precedence: command line > environment (HATIF_MAX_RPS) > file > default.",
            valueName: "file"))
    var config: String?
}
