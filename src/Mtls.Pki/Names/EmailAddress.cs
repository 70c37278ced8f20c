namespace Mtls.Pki.Names;

/// <summary>
/// The one syntax of e-mail addresses (rfc822Name, RFC 5280 4.2.1.6: a mailbox without display name or
/// quoting), for the CA and the validator alike, and RFC 5280 4.2.1.10 e-mail constraints.
/// </summary>
internal static class EmailAddress
{
    /// <summary>Why <paramref name="value"/> is not a mailbox (local@domain), or null when it is.</summary>
    public static Text.Phrase? Problem(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (at < 0) return Text.Phrase.Pki("Email_NoAt");
        if (at != value.LastIndexOf('@')) return Text.Phrase.Pki("Email_ManyAt");
        if (at == 0) return Text.Phrase.Pki("Email_NothingBeforeAt");
        if (value.AsSpan(0, at).IndexOfAnyExcept(LocalChars) is var i and >= 0 && value[i] is var bad)
            return Text.Phrase.Pki("Email_BadLocalChar", bad);
        return DnsName.Problem(value[(at + 1)..], allowWildcard: false) is { } domain ? Text.Phrase.Pki("Email_BadDomain", domain) : null;
    }

    public static bool IsValidMailbox(string value) => Problem(value) is null;

    /// <summary>Printable ASCII without space and the specials ()&lt;&gt;,;:\"[] (RFC 5322's atext and '.').</summary>
    private static readonly System.Buffers.SearchValues<char> LocalChars = System.Buffers.SearchValues.Create(
        Enumerable.Range('!', '~' - '!' + 1).Select(c => (char)c).Where(c => !"()<>,;:\\\"[]".Contains(c)).ToArray());

    /// <summary>A constraint is a mailbox, a host, or ".domain" (every host below it).</summary>
    public static bool IsValidConstraint(string value)
    {
        if (value.Contains('@')) return IsValidMailbox(value);
        return DnsName.IsValid(value.StartsWith('.') ? value[1..] : value);
    }

    public static bool Matches(string constraint, string mailbox)
    {
        var at = mailbox.LastIndexOf('@');
        if (at < 0) return false;
        var host = mailbox[(at + 1)..];
        if (constraint.Contains('@'))
        {
            var cat = constraint.LastIndexOf('@');
            // The local part is compared exactly (an asterisk is a literal character), the host without case.
            return string.Equals(constraint[..cat], mailbox[..at], StringComparison.Ordinal)
                && string.Equals(constraint[(cat + 1)..], host, StringComparison.OrdinalIgnoreCase);
        }
        if (constraint.StartsWith('.'))
            return host.Length > constraint.Length - 1 && host.EndsWith(constraint, StringComparison.OrdinalIgnoreCase);
        return string.Equals(constraint, host, StringComparison.OrdinalIgnoreCase);
    }
}
