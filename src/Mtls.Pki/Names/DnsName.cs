using System.Globalization;

namespace Mtls.Pki.Names;

/// <summary>
/// The one syntax of DNS names in this project, used by the CA when it signs (<see cref="SubjectAlternativeName"/>)
/// and by the validator when it reads a certificate, a name constraint or a host to match: what one
/// accepts, the other accepts. RFC 1034's preferred name syntax as RFC 5280 4.2.1.6 asks for, with two
/// choices:
/// - an underscore is allowed in a label. Private names use it (docker-compose services, my_svc.internal),
///   and Go, openssl and curl accept it; RFC 5280 does not, and CABF SC12 forbids it in public
///   certificates, so the validator reports it as a lapse (Trust/Lapse.cs) and `verify --strict` refuses it;
/// - no trailing dot, no empty label, and a last label that is not all digits (that is an IP address).
/// A wildcard is "*" as the whole first label, above two labels or more (RFC 6125 6.4.3; "*.com" is refused).
/// Underscores widen what a name may be, not what a wildcard matches: "*.my_svc.internal" is a readable
/// name but matches no host here, and the CA refuses to issue it, because clients split on it (checked
/// 2026-11-28: OpenSSL 3.0's X509_check_host, so nginx and `openssl s_client`, never matches it; curl
/// 7.88 and Go do): a wildcard that works in some clients only is a trap; listing the names works in all.
/// </summary>
internal static class DnsName
{
    /// <summary>Why <paramref name="name"/> is not a DNS name (a wildcard pattern too, when allowed), or null when it is.</summary>
    public static Text.Phrase? Problem(string name, bool allowWildcard)
    {
        if (allowWildcard && name.StartsWith("*.", StringComparison.Ordinal))
        {
            var rest = name[2..];
            if (!rest.Contains('.')) return Text.Phrase.Pki("Dns_WildcardSingleLabel", rest);
            return Problem(rest, allowWildcard: false);
        }
        if (name.Length == 0) return Text.Phrase.Pki("Dns_Empty");
        if (name.Length > 253) return Text.Phrase.Pki("Dns_TooLong", name.Length);
        if (name.EndsWith('.')) return Text.Phrase.Pki("Dns_TrailingDot", name.TrimEnd('.'));
        var labels = name.Split('.');
        foreach (var label in labels)
        {
            if (label.Length == 0) return Text.Phrase.Pki("Dns_EmptyLabel");
            if (label.Length > 63) return Text.Phrase.Pki("Dns_LabelTooLong", label, label.Length);
            if (label == "*") return Text.Phrase.Pki("Dns_MisplacedStar");
            if (label.AsSpan().IndexOfAnyExcept(LabelChars) is var i and >= 0 && label[i] is var bad)
                return bad > 0x7f ? Text.Phrase.Pki("Dns_NonAscii", bad, Punycode(name)) : Text.Phrase.Pki("Dns_BadChar", bad);
            if (label[0] == '-' || label[^1] == '-') return Text.Phrase.Pki("Dns_Hyphen", label);
        }
        // RFC 1123 2.1: a last label of digits only is an IP address written as a DNS name.
        if (labels[^1].All(char.IsAsciiDigit)) return Text.Phrase.Pki("Dns_DigitsOnly");
        return null;
    }

    /// <summary>
    /// Why the CA will not put <paramref name="name"/> in a certificate, or null: <see cref="Problem"/>'s reasons, and
    /// a wildcard over a name with '_', which the validator reads but no client matches.
    /// </summary>
    public static Text.Phrase? SigningProblem(string name) =>
        Problem(name, allowWildcard: true)
        ?? (IsWildcardOverUnderscore(name) ? Text.Phrase.Pki("Dns_WildcardOverUnderscore", name[1..]) : null);

    private static bool IsWildcardOverUnderscore(string pattern) => pattern.StartsWith("*.", StringComparison.Ordinal) && pattern.Contains('_');

    public static bool IsValid(string name) => Problem(name, allowWildcard: false) is null;

    public static bool IsValidPattern(string pattern) => Problem(pattern, allowWildcard: true) is null;

    /// <summary>True for a valid name that holds an underscore (accepted; a lapse for the validator).</summary>
    public static bool HasUnderscore(string name) => name.Contains('_');

    private static readonly System.Buffers.SearchValues<char> LabelChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");

    private static string Punycode(string name)
    {
        try { return new IdnMapping().GetAscii(name); }
        catch (ArgumentException) { return "xn--..."; }
    }

    /// <summary>RFC 6125 6.4: case-insensitive; a wildcard is the whole leftmost label and stands for exactly one label.</summary>
    public static bool Matches(string pattern, string host)
    {
        if (!IsValidPattern(pattern) || IsWildcardOverUnderscore(pattern)) return false;
        if (!pattern.StartsWith("*.", StringComparison.Ordinal)) return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
        var dot = host.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && string.Equals(pattern[2..], host[(dot + 1)..], StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when <paramref name="name"/> is <paramref name="subtree"/> or below it ("a.b.example.com" is within "example.com").</summary>
    public static bool IsWithin(string name, string subtree)
    {
        if (subtree.Length == 0) return true;
        if (name.Length == subtree.Length) return string.Equals(name, subtree, StringComparison.OrdinalIgnoreCase);
        return name.Length > subtree.Length && name[name.Length - subtree.Length - 1] == '.'
            && name.EndsWith(subtree, StringComparison.OrdinalIgnoreCase);
    }
}
