namespace Mtls.Ca.Report;

/// <summary>Short labels for RFC 4514 subjects (as DistinguishedName.Format writes them).</summary>
internal static class SubjectNames
{
    /// <summary>The CN's value, still escaped as RFC 4514 escapes it; the whole subject when it has no CN.</summary>
    public static string Label(string subject)
    {
        var start = 0;
        for (var i = 0; i <= subject.Length; i++)
        {
            if (i < subject.Length && subject[i] == '\\') { i++; continue; } // an escaped character, never a separator
            if (i < subject.Length && subject[i] is not (',' or '+')) continue;
            var part = subject[start..i];
            if (part.StartsWith("CN=", StringComparison.Ordinal) && part.Length > 3) return part[3..];
            start = i + 1;
        }
        return subject;
    }
}
