import HatifAPI

/// The API requests of a run, by kind: what a dry run predicts from its plan (``add(_:batcher:)``), or what
/// a run sent (``init(sent:)``), so a migration lead knows before the run how many requests it takes and how
/// long, and sees the estimate beside the actual count afterwards.
public struct RequestSizing: Sendable, Hashable, Codable {
    /// Contacts to create (not requests: they go in ``bulkFiles``).
    public var creates = 0
    /// Create Contact Property.
    public var propertyCreates = 0
    /// Update Contact Property (options added to a choice list).
    public var propertyUpdates = 0
    /// Reads: property listings, Search Contacts [Complex] lookups and read-backs, Get Contacts pages
    /// (prefetch).
    public var searches = 0
    /// Create Bulk Contacts vCards calls.
    public var bulkFiles = 0
    /// Update Contact calls: records to update, and created contacts whose properties follow their card.
    public var updates = 0
    /// Delete Contact Property Value calls (properties an update empties).
    public var valueDeletes = 0
    /// Delete Contact calls.
    public var deletes = 0
    /// Requests of any other operation.
    public var other = 0

    public init() {}

    /// Every request.
    public var total: Int { propertyCreates + propertyUpdates + searches + bulkFiles + updates + valueDeletes + deletes + other }

    /// The requests a client sent, by operation id (``HatifAPI/RequestCounter/plannedByOperation``), less
    /// those it had sent at `before` (a client that serves several runs).
    public init(sent byOperation: [String: Int], since before: [String: Int] = [:]) {
        for (operation, total) in byOperation {
            let count = total - (before[operation] ?? 0)
            switch operation {
            case "createContactProperty": propertyCreates += count
            case "updateContactProperty": propertyUpdates += count
            case "listContactProperties", "getContacts", "searchContacts", "searchContactsText", "getContactById", "getContactPropertiesStatistics":
                searches += count
            case "createBulkContactsVCards": bulkFiles += count
            case "updateContact": updates += count
            case "deleteContactPropertyValue": valueDeletes += count
            case "deleteContact": deletes += count
            default: other += count
            }
        }
    }

    /// Adds the writes a window's plan makes when it is pushed: its bulk files as the push cuts them, one
    /// Update Contact per update and per created contact with properties, a read-back search per bulk file
    /// with a contact without properties, and one live lookup for the records whose twin an earlier window
    /// creates (a dry run reports them as merged; the run looks them up again).
    mutating func add(_ plan: WindowPlan, batcher: VCardBatcher) {
        var drafts: [ContactDraft] = []
        var windowIDs = Set<RecordID>()
        for record in plan.records { windowIDs.insert(record.id) }
        var laterTwins = 0
        for record in plan.records {
            switch record.action {
            case .create(let draft):
                drafts.append(draft)
                if !draft.properties.isEmpty { updates += 1 }
            case .update(_, _, let changes, _):
                let clears = changes.filter { $0.new == nil && $0.field.hasPrefix("property:") }.count
                valueDeletes += clears
                if clears < changes.count { updates += 1 }
            case .delete: deletes += 1
            case .merged(let into, _) where !windowIDs.contains(into): laterTwins += 1
            default: break
            }
        }
        creates += drafts.count
        for file in batcher.fileSizes(for: drafts) {
            bulkFiles += 1
            if file.withoutProperties > 0 { searches += 1 }
        }
        if laterTwins > 0 { searches += 1 }
    }

    /// Adds what adding `options` to choice lists costs: one listing, and one Update Contact Property per
    /// list that grows.
    mutating func addOptions(_ options: [String: [String]]) {
        let lists = options.values.filter { !$0.isEmpty }.count
        guard lists > 0 else { return }
        searches += 1
        propertyUpdates += lists
    }

    /// Adds another sizing.
    public static func + (lhs: RequestSizing, rhs: RequestSizing) -> RequestSizing {
        var sum = lhs
        sum.creates += rhs.creates
        sum.propertyCreates += rhs.propertyCreates
        sum.propertyUpdates += rhs.propertyUpdates
        sum.searches += rhs.searches
        sum.bulkFiles += rhs.bulkFiles
        sum.updates += rhs.updates
        sum.valueDeletes += rhs.valueDeletes
        sum.deletes += rhs.deletes
        sum.other += rhs.other
        return sum
    }

    /// The time the requests take: paced by `maxRequestsPerSecond` (nil: no limit), and at most
    /// `concurrency` in flight, each taking `latency`; the reads of a window go one after the other.
    public func duration(maxRequestsPerSecond: Double?, concurrency: Int, latency: Duration) -> Duration {
        let writes = Double(total - searches)
        var bound = max(writes * latency.seconds / Double(max(1, concurrency)), Double(searches) * latency.seconds)
        if let rate = maxRequestsPerSecond, rate > 0 { bound = max(bound, Double(total) / rate) }
        return .milliseconds(Int64((bound * 1000).rounded()))
    }

    /// One line: `1,400,000 creates in 2,800 bulk files, 900,000 updates, 4,000 searches: 906,800 requests`.
    public var line: String {
        var parts = [
            "\(Self.counted(creates, "create", "creates")) in \(Self.counted(bulkFiles, "bulk file", "bulk files"))",
            Self.counted(updates, "update", "updates"),
        ]
        if valueDeletes > 0 { parts.append(Self.counted(valueDeletes, "property value to empty", "property values to empty")) }
        if deletes > 0 { parts.append(Self.counted(deletes, "delete", "deletes")) }
        if propertyCreates + propertyUpdates > 0 {
            parts.append(Self.counted(propertyCreates + propertyUpdates, "property to create or update", "properties to create or update"))
        }
        parts.append(Self.counted(searches, "search", "searches"))
        if other > 0 { parts.append(Self.counted(other, "other request", "other requests")) }
        return parts.joined(separator: ", ") + ": " + Self.counted(total, "request", "requests")
    }

    /// `1 update`, `2,800 updates`.
    static func counted(_ count: Int, _ one: String, _ many: String) -> String { "\(grouped(count)) \(count == 1 ? one : many)" }

    /// `906,800`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return (value < 0 ? "-" : "") + text
    }

    /// `12 h 35 min`, `4 min 10 s`, `12 s`.
    public static func spoken(_ duration: Duration) -> String {
        let seconds = Int(duration.components.seconds)
        if seconds >= 3600 { return "\(seconds / 3600) h \(seconds / 60 % 60) min" }
        if seconds >= 60 { return "\(seconds / 60) min \(seconds % 60) s" }
        return "\(max(1, seconds)) s"
    }
}
