namespace Mtls.Ca.Report;

/// <summary>
/// The page's one inline style sheet: light and dark (prefers-color-scheme), narrow screens, print.
/// Statuses have a colour each and always a word and a glyph beside it.
/// </summary>
internal static class ReportStyles
{
    public const string Css = """
        :root{color-scheme:light dark;--bg:#f3f5f8;--card:#fff;--fg:#1f2328;--muted:#59636e;--line:#d5dbe2;--stripe:#f6f8fa;
          --valid:#1a7f37;--expiring:#9a6700;--expired:#cf222e;--revoked:#8250df;--superseded:#6e7781;--accent:#0969da;
          --expiring-row:#fff8e1;--expired-row:#ffefef}
        @media (prefers-color-scheme:dark){:root{--bg:#0d1117;--card:#151b23;--fg:#e6edf3;--muted:#9198a1;--line:#30363d;--stripe:#1a2029;
          --valid:#3fb950;--expiring:#d29922;--expired:#f85149;--revoked:#bc8cff;--superseded:#9198a1;--accent:#4493f8;
          --expiring-row:#2b2310;--expired-row:#2d1517}}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--fg);
          font:14px/1.55 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK JP","Hiragino Sans",Meiryo,sans-serif}
        main{max-width:1240px;margin:0 auto;padding:28px 24px 40px}
        header{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:4px 24px;margin-bottom:18px}
        h1{font-size:24px;line-height:1.25;margin:0;font-weight:650}
        h1 .ca{display:block;font-size:15px;font-weight:500;color:var(--muted);margin-top:4px}
        h2{font-size:16px;margin:0 0 12px;font-weight:650}
        .muted,.asof{color:var(--muted)}
        section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:18px 22px;margin:16px 0}
        .pair{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:16px;margin:16px 0}
        .pair>section{margin:0}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px}
        .card{background:var(--card);border:1px solid var(--line);border-top:4px solid var(--c,var(--accent));border-radius:10px;padding:12px 16px}
        .card .n{font-size:28px;font-weight:650;line-height:1.2;font-variant-numeric:tabular-nums;color:var(--c,var(--fg))}
        .card .n.date{font-size:15px;line-height:2.2;white-space:nowrap}
        .card .l{color:var(--muted);font-size:13px}
        .valid{--c:var(--valid)}.expiring{--c:var(--expiring)}.expired{--c:var(--expired)}.revoked{--c:var(--revoked)}.superseded{--c:var(--superseded)}
        .total{--c:var(--accent)}.stale{--c:var(--expired)}.current{--c:var(--valid)}.none{--c:var(--superseded)}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:6px 20px;margin:0}
        dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
        .mono{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12.5px}
        .scroll{overflow-x:auto}
        table{width:100%;border-collapse:collapse}
        th{text-align:left;color:var(--muted);font-weight:600;font-size:12.5px;border-bottom:2px solid var(--line);padding:6px 10px;white-space:nowrap}
        td{border-bottom:1px solid var(--line);padding:7px 10px;vertical-align:top;overflow-wrap:break-word}
        tr.expiring td{background:var(--expiring-row)}tr.expired td{background:var(--expired-row)}
        tr.revoked td,tr.superseded td{color:var(--muted)}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        td.when{white-space:nowrap;font-variant-numeric:tabular-nums}
        td.serial{white-space:nowrap;font-size:11.5px}td .days{color:var(--muted);font-size:12px}td.reason{white-space:nowrap}
        .pill{display:inline-block;white-space:nowrap;padding:0 9px;border-radius:999px;font-size:12px;font-weight:600;
          color:var(--c);border:1px solid var(--c);line-height:20px}
        .note{margin:10px 0 0}
        .note.warn{color:var(--expired);font-weight:600}
        .hidden-char{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:11px;color:var(--expired);
          border:1px dashed var(--expired);border-radius:3px;padding:0 2px}
        bdi{unicode-bidi:isolate}
        bdi.cn{display:block;font-weight:600}bdi.dn{display:block;font-size:12px;color:var(--muted);overflow-wrap:anywhere}
        svg.timeline{display:block;width:100%;height:auto;margin-top:6px;font-size:11.5px}
        svg .stripe{fill:var(--stripe)}
        svg .grid{stroke:var(--line);stroke-width:1}
        svg .tick{fill:var(--muted)}
        svg .horizon{fill:var(--expiring);fill-opacity:.14}
        svg .horizon-label{fill:var(--expiring);font-weight:600}
        svg .now{stroke:var(--fg);stroke-width:1.5;stroke-dasharray:5 3}
        svg .now-label{fill:var(--fg);font-weight:600}
        svg .name{fill:var(--fg)}
        svg .row .bar,svg .row .end{fill:var(--c)}
        svg .row.revoked .bar,svg .row.superseded .bar{fill-opacity:.35}
        svg .row.expired .bar{fill-opacity:.55}
        svg .state{fill:var(--c);font-weight:600}
        footer{color:var(--muted);font-size:12.5px;margin-top:20px}
        @media (max-width:900px){.pair{grid-template-columns:1fr}}
        @media (max-width:700px){main{padding:16px 10px}section{padding:14px 12px}dl.facts{grid-template-columns:1fr}dt{margin-top:6px}}
        @media print{body{background:#fff}section,.card{break-inside:avoid;border-color:#bbb}}
        """;
}
