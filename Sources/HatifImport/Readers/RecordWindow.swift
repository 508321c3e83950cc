/// A window of records read together: planned, pushed and committed as one.
public struct RecordWindow: Sendable {
    /// The items, in input order, each with its identity.
    public var items: [(id: RecordID, item: ReadItem)]
    /// Where reading resumes after this window: what the checkpoint holds once the window is committed.
    public var next: RunPosition
}
