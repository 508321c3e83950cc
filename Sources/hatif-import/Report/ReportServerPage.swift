import HatifImport

/// The page `report serve` serves at `/`: the counts, filters by action or outcome, a search box and one
/// page of records at a time, each fetched from `/api/records`.
enum ReportServerPage {
    static let html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Import report</title>
        \(HTMLReportWriter.style)</head><body>
        <h1 id="title">Import report</h1><div class="sub" id="sub"></div>
        <div class="cards" id="cards"></div>
        <div class="props" id="sizing" hidden></div>
        <div class="bar"><input type="search" id="q" placeholder="Search name, phone, e-mail or file:line…">
        <button id="prev">◀ Previous</button><span id="page"></span><button id="next">Next ▶</button><span class="field" id="took"></span></div>
        <table><thead><tr><th>Record</th><th>Action</th><th>What changes</th><th>Why</th></tr></thead><tbody id="body"></tbody></table>
        <script>
        \(HTMLReportWriter.sharedScript)
        // The view is in the address (?kind=update&q=maha&page=2), so that it can be reloaded and shared.
        const params = new URLSearchParams(location.search);
        let filter = params.get('kind') || 'all', query = params.get('q') || '', page = Math.max(0, (+params.get('page') || 1) - 1), total = 0, pageSize = 100, info = null, asked = 0;
        document.getElementById('q').value = query;
        let words = {create:'Create', update:'Update', unchanged:'Unchanged', merged:'Merged', conflict:'Conflict', reject:'Reject', failed:'Failed', delete:'Delete'};
        function cards() {
          const kinds = Object.keys(words).filter(k => info.counts[k]);
          const all = [['all', 'All records', info.records]].concat(kinds.map(k => [k, words[k], info.counts[k]]));
          document.getElementById('cards').innerHTML = all.map(([k, l, n]) =>
            `<div class="card ${k === filter ? 'active' : ''}" data-k="${k}"><div class="n">${n.toLocaleString()}</div><div class="l">${esc(l)}</div></div>`).join('');
          document.querySelectorAll('.card').forEach(c => c.onclick = () => { filter = c.dataset.k; page = 0; cards(); load(); });
        }
        async function load() {
          const ask = ++asked, started = performance.now();
          const view = new URLSearchParams();
          if (filter !== 'all') view.set('kind', filter);
          if (query) view.set('q', query);
          if (page) view.set('page', page + 1);
          history.replaceState(null, '', view.toString() ? '?' + view : location.pathname);
          const answer = await (await fetch(`api/records?kind=${filter}&q=${encodeURIComponent(query)}&page=${page}`)).json();
          if (ask !== asked) return;
          total = answer.total; pageSize = answer.pageSize;
          document.getElementById('body').innerHTML = answer.rows.map(({number, entry: e}) => {
            const kind = e.outcome ? ({created:'create', updated:'update', unchanged:'unchanged', merged:'merged', conflict:'conflict', rejected:'reject', failed:'failed', deleted:'delete'}[e.outcome]) : e.action;
            return `<tr><td class="where">${esc(e.file.split('/').pop())}:${e.line}</td><td><span class="badge ${kind}">${esc(e.outcome || e.action)}</span></td>` +
              `<td>${(e.changes || []).map(c => change([c.field, c.old, c.new], kind)).join('') || (kind === 'unchanged' ? '<span class="field">no change</span>' : '')}</td>` +
              `<td class="reason">${(e.reasons || []).map(esc).join('<br>')}</td></tr>`; }).join('');
          const pages = Math.max(1, Math.ceil(total / pageSize));
          document.getElementById('page').textContent = `Page ${page + 1} of ${pages.toLocaleString()} (${total.toLocaleString()} records)`;
          document.getElementById('took').textContent = `${Math.round(performance.now() - started)} ms`;
          document.body.dataset.loaded = String(ask);
        }
        let typing;
        document.getElementById('q').oninput = e => { clearTimeout(typing); typing = setTimeout(() => { query = e.target.value; page = 0; load(); }, 200); };
        document.getElementById('prev').onclick = () => { if (page > 0) { page -= 1; load(); } };
        document.getElementById('next').onclick = () => { if ((page + 1) * pageSize < total) { page += 1; load(); } };
        (async () => {
          info = await (await fetch('api/summary')).json();
          const dry = info.mode === 'dry-run';
          if (!dry) words = {create:'Created', update:'Updated', unchanged:'Unchanged', merged:'Merged', conflict:'Conflict (untouched)', reject:'Rejected', failed:'Failed', delete:'Deleted'};
          document.title = dry ? 'Import plan' : 'Import report';
          document.getElementById('title').textContent = document.title + (dry ? ' (dry run: nothing was changed)' : '');
          document.getElementById('sub').textContent = info.records.toLocaleString() + ' records' + (info.redacted ? ' · names, phones and e-mails masked; search by file:line' : '');
          const sizing = info.summary.sizing;
          if (sizing && sizing.estimate) {
            const p = document.getElementById('sizing'); p.hidden = false;
            const e = sizing.estimate, a = sizing.actual;
            const total = x => ['propertyCreates','propertyUpdates','searches','bulkFiles','updates','valueDeletes','deletes','other'].reduce((n, k) => n + (x[k] || 0), 0);
            const t = Math.round(sizing.estimatedSeconds);
            const spoken = t >= 3600 ? `${Math.floor(t / 3600)} h ${Math.floor(t / 60) % 60} min` : t >= 60 ? `${Math.floor(t / 60)} min ${t % 60} s` : `${Math.max(1, t)} s`;
            const pace = sizing.maxRequestsPerSecond ? `at --max-rps ${sizing.maxRequestsPerSecond}` : `with no --max-rps at ${sizing.concurrency} in flight`;
            p.innerHTML = `<b>Requests:</b> ${total(e).toLocaleString()} estimated from the plan (${e.bulkFiles.toLocaleString()} bulk files, ${e.updates.toLocaleString()} updates, ${e.searches.toLocaleString()} searches), about ${spoken} ${pace}` +
              (a ? `; ${total(a).toLocaleString()} sent (${(sizing.retries || 0).toLocaleString()} retries and ${(sizing.recoveries || 0).toLocaleString()} recovery requests apart)` : '');
          }
          cards(); load();
        })();
        </script></body></html>
        """
}
