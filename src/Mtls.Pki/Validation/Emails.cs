namespace Mtls.Pki.Validation;

/// <summary>rfc822Name syntax and RFC 5280 4.2.1.10 email constraints (a mailbox, a host, or ".domain").</summary>
internal static class Emails
{
    public static bool IsValidMailbox(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != value.LastIndexOf('@') || at == value.Length - 1) return false;
        var local = value[..at];
        return local.All(c => c > ' ' && c < 0x7f && c != '(' && c != ')' && c != '<' && c != '>' && c != ',' && c != ';' && c != ':' && c != '\\' && c != '"' && c != '[' && c != ']')
            && DnsNames.IsValid(value[(at + 1)..]);
    }

    public static bool IsValidConstraint(string value)
    {
        if (value.Contains('@')) return IsValidMailbox(value);
        return DnsNames.IsValid(value.StartsWith('.') ? value[1..] : value);
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
