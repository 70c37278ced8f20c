using System.Globalization;
using System.Resources;

namespace Mtls.Pki.Text;

/// <summary>
/// A sentence kept as data: a catalogue key and the facts it names (subjects, dates, key ids, serials,
/// nested phrases), told in a language only when someone reads it. A failure made on a server thread can
/// so be told in a browser's language as well as in the log's.
/// </summary>
public sealed class Phrase
{
    private readonly ResourceManager? _catalogue;
    private readonly object?[] _facts;

    /// <summary>A sentence of <paramref name="catalogue"/> (English neutral resources, <c>ja</c> satellites).</summary>
    public Phrase(ResourceManager catalogue, string key, params object?[] facts)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentException.ThrowIfNullOrEmpty(key);
        _catalogue = catalogue;
        Key = key;
        _facts = facts;
    }

    private Phrase(string text)
    {
        Key = "";
        _facts = [text];
    }

    /// <summary>Text that is the same in every language (a platform's or a peer's own words).</summary>
    public static Phrase Literal(string text) => new(text);

    /// <summary>A sentence of Pki's own catalogue.</summary>
    internal static Phrase Pki(string key, params object?[] facts) => new(Resources.Strings.ResourceManager, key, facts);

    /// <summary>The catalogue key; empty for a <see cref="Literal"/>.</summary>
    public string Key { get; }

    /// <summary>The facts in placeholder order; a fact may itself be a <see cref="Phrase"/>.</summary>
    public IReadOnlyList<object?> Facts => _facts;

    public string In(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        if (_catalogue is null) return (string)_facts[0]!;
        // A key missing from a satellite falls back to English (ResourceManager's rule); missing everywhere is a bug.
        var format = _catalogue.GetString(Key, culture) ?? throw new InvalidOperationException($"message {Key} is not in the catalogue");
        return Language.Format(format, [.. _facts.Select(f => f is Phrase p ? p.In(culture) : f)]);
    }

    /// <summary>In the current UI culture (the CLI sets it from the locale for a command's duration).</summary>
    public override string ToString() => In(CultureInfo.CurrentUICulture);
}
