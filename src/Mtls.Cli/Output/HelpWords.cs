using Mtls.Cli.Resources;

namespace Mtls.Cli.Output;

/// <summary>
/// System.CommandLine's own help words in the reader's language. Its 2.0.0 ja satellite translates the
/// section titles (使用法, オプション, 引数) but leaves "Description:", "(REQUIRED)" and "default" in
/// English, and its HelpBuilder (where they could be customised) is internal in 2.0.0; so the help text
/// it writes is rewritten here, word for word, before it reaches the reader.
/// </summary>
internal static class HelpWords
{
    private const string DescriptionTitle = "Description:";
    private const string RequiredLabel = " (REQUIRED)";
    private const string DefaultLabel = "[default: ";

    public static string Translate(string help)
    {
        ArgumentNullException.ThrowIfNull(help);
        var required = " " + Layout.Help_RequiredLabel;
        // The label sits in the first column: pad it to the English label's width so the descriptions stay lined up.
        required = DisplayWidth.Pad(required, Math.Max(DisplayWidth.Of(required), RequiredLabel.Length));
        var lines = help.Split('\n').Select(line =>
            (line.TrimEnd('\r') == DescriptionTitle ? Layout.Help_DescriptionTitle + line[DescriptionTitle.Length..] : line)
                .Replace(RequiredLabel, required, StringComparison.Ordinal)
                .Replace(DefaultLabel, "[" + Layout.Help_DefaultLabel + ": ", StringComparison.Ordinal));
        return string.Join('\n', lines);
    }
}
