namespace Mtls.Pki.Validation;

/// <summary>DNS name syntax (RFC 1034 preferred name syntax, as RFC 5280 4.2.1.6 requires) and RFC 6125 matching.</summary>
internal static class DnsNames
{
    /// <summary>A host name: LDH labels of 1 to 63 characters, at most 253 in all, a last label not all digits.</summary>
    public static bool IsValid(string name)
    {
        if (name.Length is 0 or > 253) return false;
        var labels = name.Split('.');
        foreach (var label in labels)
            if (!IsLabel(label)) return false;
        // A last label of digits only is an IP address written as a DNS name (RFC 1123 2.1).
        return !labels[^1].All(char.IsAsciiDigit);
    }

    /// <summary>A wildcard pattern: "*." then a valid name of two labels or more (never "*" or "*.tld").</summary>
    public static bool IsValidPattern(string pattern)
    {
        if (!pattern.StartsWith("*.", StringComparison.Ordinal)) return IsValid(pattern);
        var rest = pattern[2..];
        return rest.Contains('.') && IsValid(rest);
    }

    private static bool IsLabel(string label)
    {
        if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-') return false;
        foreach (var ch in label)
            if (!char.IsAsciiLetterOrDigit(ch) && ch != '-') return false;
        return true;
    }

    /// <summary>RFC 6125 6.4: case-insensitive; a wildcard is the whole leftmost label and stands for exactly one label.</summary>
    public static bool Matches(string pattern, string host)
    {
        if (!IsValidPattern(pattern)) return false;
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
