using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Mtls.Server;

/// <summary>
/// The frame of the pages a browser gets (the hello page, a refusal): one inline style sheet (light and
/// dark, narrow screens), no script, no external resource. The style sheet is allowed by its hash in
/// the Content-Security-Policy (<see cref="StyleSource"/>), so the policy still forbids any other style
/// or script, should an escaped name ever slip through.
/// </summary>
internal static class BrowserPage
{
    private const string Css = """
        :root{color-scheme:light dark;--bg:#f3f5f8;--card:#fff;--fg:#1f2328;--muted:#59636e;--line:#d5dbe2;
          --info:#0969da;--ok:#1a7f37;--bad:#cf222e}
        @media (prefers-color-scheme:dark){:root{--bg:#0d1117;--card:#151b23;--fg:#e6edf3;--muted:#9198a1;--line:#30363d;
          --info:#4493f8;--ok:#3fb950;--bad:#f85149}}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--fg);padding:10vh 16px 32px;
          font:16px/1.6 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK JP","Hiragino Sans",Meiryo,sans-serif}
        main{max-width:680px;margin:0 auto;background:var(--card);border:1px solid var(--line);border-top:6px solid var(--tone,var(--info));
          border-radius:12px;padding:28px 32px}
        main.ok{--tone:var(--ok)}main.refused{--tone:var(--bad)}
        h1{font-size:22px;line-height:1.35;margin:0 0 18px;overflow-wrap:break-word}
        main.refused h1{color:var(--bad)}
        dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:6px 20px;margin:0 0 18px}
        dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
        p{margin:0 0 12px;overflow-wrap:break-word}
        p.tls{margin:18px 0 0;padding-top:14px;border-top:1px solid var(--line);color:var(--muted);font-size:14px}
        code,dd.mono{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:14px}
        @media (max-width:560px){body{padding:16px 10px}main{padding:20px 18px}dl{grid-template-columns:1fr}dt{margin-top:8px}}
        """;

    /// <summary>The CSP source that allows exactly <see cref="Css"/> ('sha256-...').</summary>
    public static readonly string StyleSource =
        "'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Css))) + "'";

    /// <summary>A whole page; <paramref name="bodyHtml"/> is already escaped. <paramref name="tone"/>: ok, info or refused.</summary>
    public static string Document(CultureInfo language, string title, string tone, string bodyHtml) => $"""
        <!doctype html>
        <html lang="{(Pki.Text.Language.IsJapanese(language) ? "ja" : "en")}"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">
        <title>{Encode(title)}</title><style>{Css}</style></head>
        <body><main class="{tone}">
        {bodyHtml}
        </main></body></html>

        """;

    public static string Encode(string s) => WebUtility.HtmlEncode(s);
}
