using System.Globalization;
using Mtls.Cli.Resources;
using Mtls.Pki;
using Mtls.Pki.Text;

namespace Mtls.Cli.Commands.OnlineCa;

/// <summary>`ca serve --renew-after`: the storm rule's fraction of a lifetime, as 0.5, 50% or 1/3; 0 turns it off.</summary>
internal static class RenewAfter
{
    public static double Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        double? value = t.EndsWith('%') ? Number(t[..^1]) / 100
            : t.Split('/') is [var a, var b] && Number(b) is > 0 and var d ? Number(a) / d
            : Number(t);
        if (value is not (>= 0 and < 1)) // NaN and infinity fail the range too
            throw new MtlsException(Language.Format(Tokens.Error_RenewAfter, text));
        return value.Value;
    }

    private static double? Number(string s) =>
        double.TryParse(s.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) ? n : null;
}
