using System.Globalization;
using System.Text;

namespace Mtls.Ca.Report;

/// <summary>
/// The "what expires when" chart as inline SVG: one bar per certificate from its start to its expiry on a
/// shared time axis, "now" marked, the expiring window shaded, each row ending in its status in words
/// (colour is never the only signal). Sized by a viewBox, so it scales with the page.
/// </summary>
internal static class ExpiryTimeline
{
    public const int MaxRows = 150;

    private const double Width = 1120, LabelWidth = 250, StatusWidth = 150, Top = 44, RowHeight = 20, Bottom = 12;
    private const double PlotLeft = LabelWidth + 10, PlotRight = Width - StatusWidth - 10;

    public static string Render(CaReport report, ReportText text)
    {
        var rows = report.Certificates.Take(MaxRows).ToList();
        var (start, end) = Range(report, rows);
        double X(DateTimeOffset t) => PlotLeft + (PlotRight - PlotLeft) * ((t - start).TotalSeconds / (end - start).TotalSeconds);
        var height = Top + rows.Count * RowHeight + Bottom;
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg class=\"timeline\" viewBox=\"0 0 {Width} {height}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"timeline-title\">"));
        svg.Append("<title id=\"timeline-title\">").Append(HtmlText.EncodePlain(text["Timeline_Label", rows.Count])).Append("</title>");

        // Row stripes, then the grid and the expiring window behind the bars.
        for (var i = 0; i < rows.Count; i += 2)
            svg.Append(Invariant($"<rect class=\"stripe\" x=\"0\" y=\"{Top + i * RowHeight}\" width=\"{Width}\" height=\"{RowHeight}\"/>"));
        var nowX = X(report.Now);
        var horizonX = Math.Min(X(report.Now + report.ExpiringWithin), PlotRight);
        svg.Append(Invariant($"<rect class=\"horizon\" x=\"{nowX:0.#}\" y=\"{Top - 6}\" width=\"{horizonX - nowX:0.#}\" height=\"{height - Top - Bottom + 6}\"/>"));
        foreach (var (tick, label) in Ticks(start, end))
        {
            var x = X(tick);
            svg.Append(Invariant($"<line class=\"grid\" x1=\"{x:0.#}\" x2=\"{x:0.#}\" y1=\"{Top - 6}\" y2=\"{height - Bottom}\"/>"));
            svg.Append(Invariant($"<text class=\"tick\" x=\"{x:0.#}\" y=\"{Top - 10}\" text-anchor=\"middle\">{label}</text>"));
        }
        svg.Append(Invariant($"<text class=\"horizon-label\" x=\"{nowX + 5:0.#}\" y=\"{Top - 26}\">"))
            .Append(HtmlText.EncodePlain(text["Timeline_Horizon", report.ExpiringDays])).Append("</text>");

        for (var i = 0; i < rows.Count; i++)
            Row(svg, rows[i], Top + i * RowHeight, X, text);

        svg.Append(Invariant($"<line class=\"now\" x1=\"{nowX:0.#}\" x2=\"{nowX:0.#}\" y1=\"{Top - 22}\" y2=\"{height - Bottom}\"/>"));
        svg.Append(Invariant($"<text class=\"now-label\" x=\"{nowX - 5:0.#}\" y=\"{Top - 26}\" text-anchor=\"end\">"))
            .Append(HtmlText.EncodePlain(text["Timeline_Now"])).Append(' ').Append(ReportText.Day(report.Now)).Append("</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Row(StringBuilder svg, ReportCertificate c, double y, Func<DateTimeOffset, double> x, ReportText text)
    {
        var r = c.Record;
        var css = StatusLook.Css(c.Status);
        var status = text[StatusLook.Key(c.Status)];
        var from = x(r.NotBefore);
        var width = Math.Max(x(r.NotAfter) - from, 3);
        svg.Append(Invariant($"<g class=\"row {css}\">"));
        svg.Append("<title>").Append(HtmlText.EncodePlain($"{r.Subject}\n{ReportText.Time(r.NotBefore)} \u2192 {ReportText.Time(r.NotAfter)} UTC\n{status}")).Append("</title>");
        svg.Append(Invariant($"<text class=\"name\" x=\"{LabelWidth:0.#}\" y=\"{y + 14}\" text-anchor=\"end\">"))
            .Append(HtmlText.EncodePlain(Shorten(SubjectNames.Label(r.Subject), 34))).Append("</text>");
        svg.Append(Invariant($"<rect class=\"bar\" x=\"{from:0.#}\" y=\"{y + 5}\" width=\"{width:0.#}\" height=\"10\" rx=\"2\"/>"));
        svg.Append(Invariant($"<circle class=\"end\" cx=\"{from + width:0.#}\" cy=\"{y + 10}\" r=\"4\"/>"));
        svg.Append(Invariant($"<text class=\"state\" x=\"{PlotRight + 16:0.#}\" y=\"{y + 14}\">"))
            .Append(StatusLook.Glyph(c.Status)).Append(' ').Append(HtmlText.EncodePlain(status)).Append("</text>");
        svg.Append("</g>");
    }

    /// <summary>From the earliest start (or a week before now) to the latest expiry (or the window's end), padded a little.</summary>
    private static (DateTimeOffset Start, DateTimeOffset End) Range(CaReport report, List<ReportCertificate> rows)
    {
        var start = rows.Select(r => r.Record.NotBefore).Append(report.Now - TimeSpan.FromDays(7)).Min();
        var end = rows.Select(r => r.Record.NotAfter).Append(report.Now + report.ExpiringWithin + TimeSpan.FromDays(7)).Max();
        var pad = TimeSpan.FromTicks((end - start).Ticks / 40);
        return (start - pad, end + pad);
    }

    /// <summary>Axis ticks at calendar boundaries: days, weeks, months or years, at most about ten.</summary>
    private static IEnumerable<(DateTimeOffset Tick, string Label)> Ticks(DateTimeOffset start, DateTimeOffset end)
    {
        var days = (end - start).TotalDays;
        if (days <= 70)
        {
            var step = days <= 14 ? 1 : 7;
            for (var t = new DateTimeOffset(start.UtcDateTime.Date.AddDays(1), TimeSpan.Zero); t < end; t = t.AddDays(step))
                yield return (t, ReportText.Day(t)[5..]);
            yield break;
        }
        if (days <= 365 * 4)
        {
            var months = (int)Math.Ceiling(days / 30.44 / 10);
            months = months <= 1 ? 1 : months <= 2 ? 2 : months <= 3 ? 3 : months <= 6 ? 6 : 12;
            var first = new DateTimeOffset(start.Year, start.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
            while ((first.Month - 1) % months != 0) first = first.AddMonths(1);
            for (var t = first; t < end; t = t.AddMonths(months))
                yield return (t, t.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture));
            yield break;
        }
        var years = Math.Max(1, (int)Math.Ceiling(days / 365.25 / 10));
        for (var t = new DateTimeOffset(start.Year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero); t < end; t = t.AddYears(years))
            yield return (t, t.Year.ToString(CultureInfo.InvariantCulture));
    }

    private static string Shorten(string s, int max)
    {
        if (s.Length <= max) return s;
        var cut = char.IsHighSurrogate(s[max - 2]) ? max - 2 : max - 1; // never half a surrogate pair
        return s[..cut] + "\u2026";
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
