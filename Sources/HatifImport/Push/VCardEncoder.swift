/// Encodes contact drafts as vCard 4.0 cards for Create Bulk Contacts vCards: `N` and `FN` for the names,
/// the E.164 phone as the first `TEL`, the email as the first `EMAIL` — what the server reads — with
/// correct escaping and folding, UTF-8, CRLF.
enum VCardEncoder {
    /// One card.
    static func card(_ draft: ContactDraft) -> String { String(decoding: cardBytes(draft), as: UTF8.self) }

    /// One card's bytes, each line folded and ended by CRLF (written as bytes: the planner sizes every
    /// create's card and the push sends it).
    static func cardBytes(_ draft: ContactDraft) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160)
        func line(_ text: String) {
            VCardText.appendFolded(text, to: &bytes)
            bytes.append(0x0D)
            bytes.append(0x0A)
        }
        bytes.append(contentsOf: "BEGIN:VCARD\r\nVERSION:4.0\r\n".utf8)
        let first = draft.firstName ?? ""
        let last = draft.lastName ?? ""
        line("N:\(VCardText.escape(last));\(VCardText.escape(first));;;")
        let formatted = first.isEmpty || last.isEmpty ? first + last : first + " " + last
        line("FN:\(VCardText.escape(formatted.isEmpty ? draft.phone?.e164 ?? draft.email ?? "" : formatted))")
        if let phone = draft.phone { line("TEL;TYPE=\(phone.type.mayBeMobile ? "cell" : "voice"):\(phone.e164)") }
        if let email = draft.email { line("EMAIL:\(VCardText.escape(email))") }
        bytes.append(contentsOf: "END:VCARD\r\n".utf8)
        return bytes
    }

    /// A length no card of `draft` exceeds, without writing it. With F, L, P and E the UTF-8 lengths of the
    /// names, the phone and the email: escaping at most doubles a value; the four content lines hold at most
    /// 32 + 4F + 4L + 3P + 4E bytes (`N`, `FN` with the names or the phone or the email, `TEL`, `EMAIL`);
    /// folding adds 3 bytes per 71 or more, and 3 more per line; CRLFs and the fixed lines add 57. That is
    /// under 92 + 4.2 (F + L + E) + 3.2 P, and so under this.
    static func maxCardLength(_ draft: ContactDraft) -> Int {
        let values = (draft.firstName?.utf8.count ?? 0) + (draft.lastName?.utf8.count ?? 0) + (draft.phone?.e164.utf8.count ?? 0)
            + (draft.email?.utf8.count ?? 0)
        return 128 + 8 * values
    }
}

/// Cuts drafts into bulk files the API accepts: at most `maxCards` cards and `maxBytes` bytes each.
struct VCardBatcher {
    /// The contract's limits.
    static let contractMaxCards = 500
    static let contractMaxBytes = 5 << 20

    let maxCards: Int
    let maxBytes: Int

    init(maxCards: Int = contractMaxCards, maxBytes: Int = contractMaxBytes) {
        self.maxCards = min(max(1, maxCards), Self.contractMaxCards)
        self.maxBytes = min(max(1024, maxBytes), Self.contractMaxBytes)
    }

    /// One bulk file: the drafts in card order (a result's `Index` is a position here) and each one's
    /// encoded card, so a partial resend reuses them instead of encoding again.
    struct File {
        var drafts: [ContactDraft] = []
        var cards: [[UInt8]] = []
        var byteCount = 0

        /// The file's bytes: every card, in order.
        var bytes: [UInt8] { cards.flatMap { $0 } }
    }

    /// How ``files(for:)`` cuts `drafts`, without keeping the cards: each file's card count and how many
    /// of its drafts have no custom property (a dry run's sizing).
    func fileSizes(for drafts: [ContactDraft]) -> [(cards: Int, withoutProperties: Int)] {
        var sizes: [(cards: Int, withoutProperties: Int)] = []
        func add(_ draft: ContactDraft, startsFile: Bool) {
            if startsFile { sizes.append((0, 0)) }
            sizes[sizes.count - 1].cards += 1
            if draft.properties.isEmpty { sizes[sizes.count - 1].withoutProperties += 1 }
        }
        // When no `maxCards` cards can reach `maxBytes`, the files are cut by count alone, and the cards need
        // not be written (a run sizes every window's creates, then writes their cards again to push them).
        if drafts.allSatisfy({ VCardEncoder.maxCardLength($0) * maxCards <= maxBytes }) {
            for (index, draft) in drafts.enumerated() { add(draft, startsFile: index % maxCards == 0) }
        } else {
            cut(drafts) { draft, _, startsFile in add(draft, startsFile: startsFile) }
        }
        return sizes
    }

    /// The drafts cut into files, in order.
    func files(for drafts: [ContactDraft]) -> [File] {
        var files: [File] = []
        cut(drafts) { draft, card, startsFile in
            if startsFile { files.append(File()) }
            files[files.count - 1].cards.append(card)
            files[files.count - 1].byteCount += card.count
            files[files.count - 1].drafts.append(draft)
        }
        return files
    }

    /// The one rule both follow: each draft with its card, and whether it starts a file (the first does;
    /// then a file ends at `maxCards` cards, or before a card that would take it past `maxBytes`).
    private func cut(_ drafts: [ContactDraft], _ body: (ContactDraft, [UInt8], _ startsFile: Bool) -> Void) {
        var cards = 0
        var bytes = 0
        for draft in drafts {
            let card = VCardEncoder.cardBytes(draft)
            let length = card.count
            let startsFile = cards == 0 || cards >= maxCards || bytes + length > maxBytes
            if startsFile { (cards, bytes) = (0, 0) }
            body(draft, card, startsFile)
            cards += 1
            bytes += length
        }
    }
}
