import Foundation

/// Writes `report.html`: one self-contained page (no network, no external file) with the summary, the
/// sizing, the properties to create, and the records' actions in a paged, filterable table with old → new
/// values highlighted. Its size follows the changes, not the input: unchanged records are counted and not
/// listed (unless ``ReportOptions/listUnchanged``), and past ``ReportOptions/rowBudget`` rows the page says
/// what it left out and where the full list is. Rows wait in one spool per kind until the end, so that
/// rejects, failures and conflicts are listed first whatever their place in the input.
public final class HTMLReportWriter {
    /// The order in which kinds of record take the page's row budget.
    static let listingOrder = ["reject", "failed", "conflict", "update", "create", "delete", "merged", "unchanged"]

    /// A class, so that a row's end is appended in place: a struct taken out of the dictionary and put back
    /// copied every end so far with each row.
    private final class Spool {
        let writer: BufferedWriter
        /// Where each row ends (each row is written as `,\n` and its JSON).
        var ends: [Int64] = []

        init(writer: BufferedWriter) { self.writer = writer }
    }

    private let writer: BufferedWriter
    private let options: ReportOptions
    private var spools: [String: Spool] = [:]
    /// Rows past the budget, by kind.
    private var overBudget: [String: Int] = [:]
    private var unchangedNotListed = 0
    private var files: [String] = []
    private var fileIndex: [String: Int] = [:]

    /// Creates `path` and writes the top of the page.
    public init(path: String, title: String, options: ReportOptions = ReportOptions()) throws {
        writer = try BufferedWriter(path: path)
        self.options = options
        try writer.write(Self.head.replacingOccurrences(of: "{{TITLE}}", with: Self.escapeHTML(title)).replacingOccurrences(of: "{{STYLE}}", with: Self.style))
    }

    /// Appends one record, as the page is to show it (masked already under ``ReportOptions/redact``).
    public func append(_ entry: PlanEntry) throws {
        let kind = entry.category.name
        if kind == "unchanged" && !options.listUnchanged {
            unchangedNotListed += 1
            return
        }
        let spool = try spools[kind] ?? Spool(writer: BufferedWriter.spool(prefix: "hatif-report-\(kind)"))
        guard spool.ends.count < options.rowBudget else {
            overBudget[kind, default: 0] += 1
            return
        }
        let file: Int
        if let known = fileIndex[entry.file] {
            file = known
        } else {
            file = files.count
            files.append(entry.file)
            fileIndex[entry.file] = file
        }
        try spool.writer.write { Self.appendRow(entry, kind: kind, file: file, to: &$0) }
        spool.ends.append(spool.writer.length)
        spools[kind] = spool
    }

    /// Lists the spooled rows within the budget, writes the summary and the rest of the page, and closes it;
    /// `fullList` names the files that list every record.
    public func finish(summary: PlanSummary, mode: String, fullList: [String] = []) throws {
        try writer.write("<script id=\"rows\" type=\"application/json\">[")
        var left = options.rowBudget
        var bytesLeft = Int64(options.pageBytes)
        var listed: [String: Int] = [:]
        var first = true
        for kind in Self.listingOrder {
            guard let spool = spools[kind] else { continue }
            var count = min(left, spool.ends.count)
            // As many of those rows as fit in the bytes left (the ends are in increasing order).
            if count > 0, spool.ends[count - 1] > bytesLeft {
                var (low, high) = (0, count)
                while low < high {
                    let middle = (low + high + 1) / 2
                    if spool.ends[middle - 1] <= bytesLeft { low = middle } else { high = middle - 1 }
                }
                count = low
            }
            if count < spool.ends.count { overBudget[kind, default: 0] += spool.ends.count - count }
            left -= count
            if count > 0 { bytesLeft -= spool.ends[count - 1] }
            listed[kind] = count
            guard count > 0 else { continue }
            // The first row of the page goes without the `,\n` before it.
            try spool.writer.copy(from: first ? 2 : 0, to: spool.ends[count - 1], into: writer)
            first = false
        }
        spools.removeAll()
        try writer.write("]</script>\n")
        func counts(_ values: [String: Int]) -> String {
            "{" + values.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\(JSONText.quoted($0.key)):\($0.value)" }.joined(separator: ",") + "}"
        }
        var meta = "{\"mode\":\(JSONText.quoted(mode)),\"generated\":\(JSONText.quoted(ISO8601DateFormatter().string(from: Date())))"
        meta += ",\"files\":[\(files.map(JSONText.quoted).joined(separator: ","))],\"listed\":\(counts(listed))"
        meta += ",\"unchangedNotListed\":\(unchangedNotListed),\"overBudget\":\(counts(overBudget)),\"budget\":\(options.rowBudget)"
        meta += ",\"fullList\":[\(fullList.map(JSONText.quoted).joined(separator: ","))],\"redacted\":\(options.redact)}"
        var counts = "{\"records\":\(summary.records),\"create\":\(summary.create),\"update\":\(summary.update),\"unchanged\":\(summary.unchanged),\"conflict\":\(summary.conflict),\"reject\":\(summary.reject),\"merged\":\(summary.merged),\"failed\":\(summary.failed),\"delete\":\(summary.delete),\"properties\":[\(summary.propertiesToCreate.map(JSONText.quoted).joined(separator: ","))],\"options\":{\(summary.optionsAdded.sorted { $0.key < $1.key }.map { "\(JSONText.quoted($0.key)):[\($0.value.map(JSONText.quoted).joined(separator: ","))]" }.joined(separator: ","))},\"phonesKept\":\(summary.phonesKept)"
        if let sizing = summary.sizing { counts += ",\"sizing\":" + Self.json(sizing) }
        counts += "}"
        try writer.write("<script id=\"meta\" type=\"application/json\">\(Self.scriptSafe(meta))</script>\n")
        try writer.write("<script id=\"summary\" type=\"application/json\">\(Self.scriptSafe(counts))</script>\n")
        try writer.write(Self.tail.replacingOccurrences(of: "{{SHARED}}", with: Self.sharedScript))
        try writer.flush()
    }

    /// The sizing as the page reads it: the line, and the requests by kind estimated and sent.
    static func json(_ sizing: RunSizing) -> String {
        func kinds(_ requests: RequestSizing) -> String {
            let pairs: [(String, Int)] = [
                ("Bulk files", requests.bulkFiles), ("Update Contact", requests.updates), ("Searches and listings", requests.searches),
                ("Property values emptied", requests.valueDeletes), ("Deletes", requests.deletes),
                ("Property creates and updates", requests.propertyCreates + requests.propertyUpdates), ("Other", requests.other),
                ("Total", requests.total),
            ]
            return "[" + pairs.map { "[\(JSONText.quoted($0.0)),\($0.1)]" }.joined(separator: ",") + "]"
        }
        var text = "{\"line\":\(JSONText.quoted(sizing.line)),\"estimate\":\(kinds(sizing.estimate))"
        if let actual = sizing.actual {
            text += ",\"actual\":\(kinds(actual)),\"retries\":\(sizing.retries ?? 0),\"recoveries\":\(sizing.recoveries ?? 0)"
        }
        return text + "}"
    }

    /// Appends an entry's row of the page's data (`,` line end, then a JSON array), `</` escaped.
    static func appendRow(_ entry: PlanEntry, kind: String, file: Int, to bytes: inout [UInt8]) {
        let start = bytes.count
        bytes.append(contentsOf: ",\n[".utf8)
        JSONText.append(file, to: &bytes)
        bytes.append(0x2C)
        JSONText.append(entry.line, to: &bytes)
        bytes.append(0x2C)
        JSONText.append(entry.ordinal, to: &bytes)
        bytes.append(0x2C)
        JSONText.appendQuoted(kind, to: &bytes)
        bytes.append(0x2C)
        JSONText.appendQuoted(entry.key ?? "", to: &bytes)
        bytes.append(0x2C)
        JSONText.appendQuoted(entry.contactIDs.count == 1 ? entry.contactIDs[0] : entry.contactIDs.joined(separator: " "), to: &bytes)
        bytes.append(contentsOf: ",[".utf8)
        for (index, change) in entry.changes.enumerated() {
            bytes.append(contentsOf: (index > 0 ? ",[" : "[").utf8)
            JSONText.appendQuoted(change.field, to: &bytes)
            bytes.append(0x2C)
            JSONText.appendQuotedOrNull(change.old, to: &bytes)
            bytes.append(0x2C)
            JSONText.appendQuotedOrNull(change.new, to: &bytes)
            bytes.append(0x5D)
        }
        bytes.append(contentsOf: "],[".utf8)
        JSONText.appendQuoted(entry.reasons, to: &bytes)
        bytes.append(contentsOf: "]]".utf8)
        Self.makeScriptSafe(&bytes, from: start)
    }

    /// ``scriptSafe(_:)`` of the bytes from `start` on.
    static func makeScriptSafe(_ bytes: inout [UInt8], from start: Int) {
        guard holdsScriptEnd(bytes[start...]) else { return }
        let safe = scriptSafe(String(decoding: bytes[start...], as: UTF8.self))
        bytes.removeSubrange(start...)
        bytes.append(contentsOf: safe.utf8)
    }

    /// JSON inside a script element must not contain `</`.
    static func scriptSafe(_ json: String) -> String {
        // Most rows hold no `</`: a byte scan spares them Foundation's search (4% of an incremental run's CPU).
        holdsScriptEnd(json.utf8) ? json.replacingOccurrences(of: "</", with: "<\\/") : json
    }

    /// Whether `bytes` hold `</`.
    private static func holdsScriptEnd(_ bytes: some Sequence<UInt8>) -> Bool {
        var previous: UInt8 = 0
        for byte in bytes {
            if previous == UInt8(ascii: "<") && byte == UInt8(ascii: "/") { return true }
            previous = byte
        }
        return false
    }

    static func escapeHTML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The pages' style sheet (`report.html` and `report serve`).
    public static let style = """
        <style>
        :root { --failed:#a40e26; --merged:#0969da; --create:#1a7f37; --update:#9a6700; --unchanged:#57606a; --conflict:#8250df; --reject:#cf222e; --delete:#6e7781; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans Arabic", sans-serif; margin: 24px; color: #1f2328; }
        h1 { font-size: 22px; margin: 0 0 4px; } .sub { color: #57606a; margin-bottom: 18px; }
        .cards { display: flex; gap: 12px; flex-wrap: wrap; margin-bottom: 18px; }
        .card { border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 16px; min-width: 110px; cursor: pointer; background: #fff; }
        .card.active { outline: 3px solid #0969da; } .card .n { font-size: 24px; font-weight: 600; } .card .l { color: #57606a; }
        .props { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 16px; margin-bottom: 18px; }
        .bar { display: flex; gap: 12px; align-items: center; margin-bottom: 10px; flex-wrap: wrap; }
        input[type=search] { padding: 6px 10px; border: 1px solid #d0d7de; border-radius: 6px; min-width: 280px; }
        button { padding: 5px 12px; border: 1px solid #d0d7de; border-radius: 6px; background: #f6f8fa; cursor: pointer; }
        table { border-collapse: collapse; width: 100%; } th, td { text-align: start; padding: 6px 8px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
        th { background: #f6f8fa; position: sticky; top: 0; }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; }
        .create { background: var(--create); } .update { background: var(--update); } .unchanged { background: var(--unchanged); }
        .conflict { background: var(--conflict); } .reject { background: var(--reject); } .merged { background: var(--merged); } .failed { background: var(--failed); } .delete { background: var(--delete); }
        .old { background: #ffebe9; text-decoration: line-through; color: #82071e; padding: 0 3px; border-radius: 3px; }
        .new { background: #dafbe1; color: #116329; padding: 0 3px; border-radius: 3px; }
        .note { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 8px; padding: 10px 16px; margin-bottom: 18px; }
        .sizing td, .sizing th { padding: 2px 12px 2px 0; border: 0; position: static; background: none; } .sizing td.n { text-align: end; }
        .field { color: #57606a; } .where { white-space: nowrap; color: #57606a; } .reason { color: #82071e; }
        td span[dir=auto] { unicode-bidi: plaintext; }
        </style>
        """

    /// The pages' shared script: `esc` (HTML escaping) and `change` (one field's old → new).
    public static let sharedScript = """
        const esc = s => String(s).replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
        function change([field, oldValue, newValue], action) {
          const label = field.startsWith('property:') ? field.slice(9) : field;
          if (action === 'create' || action === 'failed' || action === 'merged') return `<div><span class="field">${esc(label)}:</span> <span dir="auto">${esc(newValue)}</span></div>`;
          const o = oldValue === null ? '<i>empty</i>' : `<span class="old" dir="auto">${esc(oldValue)}</span>`;
          const n = newValue === null ? '<i>empty</i>' : `<span class="new" dir="auto">${esc(newValue)}</span>`;
          return `<div><span class="field">${esc(label)}:</span> ${o} → ${n}</div>`;
        }
        """

    static let head = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{TITLE}}</title>
        {{STYLE}}</head><body>

        """

    static let tail = """
        <h1 id="title"></h1><div class="sub" id="sub"></div>
        <div class="cards" id="cards"></div>
        <div class="props" id="props" hidden></div>
        <div class="props" id="sizing" hidden></div>
        <div class="note" id="omitted" hidden></div>
        <div class="bar"><input type="search" id="q" placeholder="Search name, phone, email, file:line, reason…">
        <button id="prev">◀ Previous</button><span id="page"></span><button id="next">Next ▶</button></div>
        <table><thead><tr><th>Record</th><th>Action</th><th>What changes</th><th>Why</th></tr></thead><tbody id="body"></tbody></table>
        <script>
        const rows = JSON.parse(document.getElementById('rows').textContent);
        const meta = JSON.parse(document.getElementById('meta').textContent);
        const files = meta.files.map(f => f.split('/').pop());
        const summary = JSON.parse(document.getElementById('summary').textContent);
        const PAGE = 100; let filter = 'all', query = '', page = 0, shown = rows;
        {{SHARED}}
        const dry = meta.mode === 'dry-run';
        const words = dry ? {create:'New contacts', update:'Changed contacts', unchanged:'Already up to date', conflict:'Conflicts', reject:'Rejected', merged:'Merged duplicates', delete:'To delete'}
          : {create:'Created', update:'Updated', unchanged:'Already up to date', conflict:'Conflicts (untouched)', reject:'Rejected', merged:'Merged duplicates', failed:'Failed', delete:'Deleted'};
        const actions = dry ? ['create','update','delete','unchanged','merged','conflict','reject'] : ['create','update','delete','unchanged','merged','conflict','reject','failed'];
        const badge = dry ? {} : {create:'created', update:'updated', reject:'rejected'};
        document.getElementById('title').textContent = document.title + (dry ? ' (dry run: nothing was changed)' : '');
        document.getElementById('sub').textContent = summary.records.toLocaleString() + ' records · generated ' + meta.generated;
        function cards() {
          const all = [['all', 'All records', summary.records]].concat(actions.map(a => [a, words[a], summary[a]]));
          document.getElementById('cards').innerHTML = all.map(([a, l, n]) =>
            `<div class="card ${a === filter ? 'active' : ''}" data-a="${a}"><div class="n">${n.toLocaleString()}</div><div class="l">${l}</div></div>`).join('');
          document.querySelectorAll('.card').forEach(c => c.onclick = () => { filter = c.dataset.a; page = 0; apply(); });
        }
        if (summary.properties.length) {
          const p = document.getElementById('props'); p.hidden = false;
          p.innerHTML = '<b>' + (dry ? 'Properties to create' : 'Properties created') + ':</b> ' + summary.properties.map(esc).join(', ');
        }
        const grown = Object.entries(summary.options);
        if (grown.length || summary.phonesKept) {
          const p = document.getElementById('props'); p.hidden = false;
          const lines = grown.map(([name, values]) => '<div><b>' + (dry ? 'Options to add to ' : 'Options added to ') + esc(name) + ' (' + values.length + '):</b> ' + values.map(esc).join(', ') + '</div>');
          if (summary.phonesKept) lines.push('<div><b>Phones kept to check:</b> ' + summary.phonesKept.toLocaleString() + ' records have a number that the phone metadata does not know (see their notes)</div>');
          p.innerHTML += lines.join('');
        }
        if (summary.sizing) {
          const z = summary.sizing, p = document.getElementById('sizing'); p.hidden = false;
          let html = '<b>' + (dry ? 'Requests the run will make' : 'Requests') + ':</b> ' + esc(z.line);
          if (z.actual) {
            html += '<table class="sizing"><tr><th></th><th>estimated from the plan</th><th>sent</th></tr>' + z.estimate.map(([k, n], i) =>
              `<tr><td>${esc(k)}</td><td class="n">${n.toLocaleString()}</td><td class="n">${z.actual[i][1].toLocaleString()}</td></tr>`).join('') +
              `<tr><td>Retries, recovery requests (not counted)</td><td></td><td class="n">${z.retries.toLocaleString()}, ${z.recoveries.toLocaleString()}</td></tr></table>`;
          }
          p.innerHTML = html;
        }
        {
          const parts = [];
          if (meta.unchangedNotListed) parts.push(meta.unchangedNotListed.toLocaleString() + ' unchanged records (counted above; --report-unchanged lists them)');
          const over = Object.entries(meta.overBudget).reduce((n, [, v]) => n + v, 0);
          if (over) parts.push(over.toLocaleString() + ' records past this page’s budget of ' + meta.budget.toLocaleString() + ' rows (' +
            Object.entries(meta.overBudget).map(([k, v]) => v.toLocaleString() + ' ' + k).join(', ') + '; rejects, failures and conflicts are listed first)');
          if (parts.length) {
            const o = document.getElementById('omitted'); o.hidden = false;
            o.innerHTML = '<b>Not listed on this page:</b> ' + parts.map(esc).join('; ') + '. Every record is in ' +
              esc(meta.fullList.join(', ')) + '; <code>hatif-import report serve</code> on this folder pages through all of them with search.';
          }
        }
        if (meta.redacted) document.getElementById('sub').textContent += ' · names, phones and e-mails masked';
        function render() {
          const pages = Math.max(1, Math.ceil(shown.length / PAGE)); page = Math.min(page, pages - 1);
          const slice = shown.slice(page * PAGE, page * PAGE + PAGE);
          document.getElementById('body').innerHTML = slice.map(r =>
            `<tr><td class="where">${esc(files[r[0]])}:${r[1]}</td><td><span class="badge ${r[3]}">${badge[r[3]] || r[3]}</span></td>` +
            `<td>${r[6].map(c => change(c, r[3])).join('') || (r[3] === 'unchanged' ? '<span class="field">no change</span>' : '')}</td>` +
            `<td class="reason">${r[7].map(esc).join('<br>')}</td></tr>`).join('');
          document.getElementById('page').textContent = `Page ${page + 1} of ${pages} (${shown.length.toLocaleString()} records listed)`;
        }
        function apply() {
          const q = query.toLowerCase();
          shown = rows.filter(r => (filter === 'all' || r[3] === filter) &&
            (!q || (files[r[0]] + ':' + r[1] + ' ' + JSON.stringify(r[6]) + ' ' + r[7].join(' ')).toLowerCase().includes(q)));
          cards(); render();
        }
        document.getElementById('q').oninput = e => { query = e.target.value; page = 0; apply(); };
        document.getElementById('prev').onclick = () => { page = Math.max(0, page - 1); render(); };
        document.getElementById('next').onclick = () => { page += 1; render(); };
        apply();
        document.body.dataset.readyMs = Math.round(performance.now());
        </script></body></html>

        """
}
