import ArgumentParser
import HatifImport

/// `--phones`: what to do with a number the phone metadata finds possible but does not know.
struct PhoneOptions: ParsableArguments {
    enum Policy: String, ExpressibleByArgument, CaseIterable {
        case keep, strict
    }

    @Option(
        help: ArgumentHelp(
            "keep: a number of a known country code and a possible length that the phone metadata does not know is kept, with a note; strict: it is dropped like any invalid number.",
            discussion: "The metadata is \(PhoneMetadata.current)."))
    var phones: Policy = .keep

    /// Whether numbers unknown to the metadata are refused.
    var strict: Bool { phones == .strict }
}
