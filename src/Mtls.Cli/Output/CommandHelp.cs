using Mtls.Cli.Resources;

namespace Mtls.Cli.Output;

/// <summary>
/// A command's help text: its prose from the catalogue (the user's language), then its examples, which
/// are commands and the same in every language (HelpTests parses them).
/// </summary>
internal static class CommandHelp
{
    public static string Of(string prose, params string[] examples) =>
        examples.Length == 0 ? prose : $"{prose}\n\n{Strings.Help_Examples}\n{string.Join('\n', examples.Select(e => "  " + e))}";
}
