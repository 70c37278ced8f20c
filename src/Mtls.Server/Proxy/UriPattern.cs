namespace Mtls.Server.Proxy;

/// <summary>
/// A URI SAN pattern of --allow-uri: <c>*</c> matches one path segment or a part of one (never a '/'),
/// <c>**</c> matches anything, slashes included (SPIFFE trust domains: <c>spiffe://example.org/**</c>).
/// Everything else matches itself, case-sensitively (SPIFFE IDs are case-sensitive in the path).
/// </summary>
internal sealed class UriPattern(string pattern)
{
    public string Text { get; } = pattern;

    public bool Matches(string uri) => Match(Text.AsSpan(), uri.AsSpan());

    private static bool Match(ReadOnlySpan<char> p, ReadOnlySpan<char> s)
    {
        while (p.Length > 0)
        {
            if (p[0] != '*')
            {
                if (s.Length == 0 || s[0] != p[0]) return false;
                p = p[1..];
                s = s[1..];
                continue;
            }
            var any = p.Length > 1 && p[1] == '*';
            var rest = p[(any ? 2 : 1)..];
            // Try every split point; a single star stops at the next '/'.
            for (var i = 0; i <= s.Length; i++)
            {
                if (Match(rest, s[i..])) return true;
                if (i < s.Length && !any && s[i] == '/') return false;
            }
            return false;
        }
        return s.Length == 0;
    }
}
