using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using Mtls.Cli.Resources;
using Mtls.Pki.Text;

namespace Mtls.Cli;

/// <summary>
/// System.CommandLine's parse errors in the user's language. Its ja satellite (2.0.0) translates some
/// (unknown option, missing argument) but leaves others in English, among them "Option '--out' is
/// required." and the type-conversion errors; ParseError carries only the text, so those are recognised
/// by their English wording and told again from our catalogue. Anything else is shown as it came.
/// </summary>
internal static partial class ParseErrors
{
    public static string Message(ParseError error)
    {
        if (!Language.IsJapanese(System.Globalization.CultureInfo.CurrentUICulture)) return error.Message;
        var text = error.Message;
        if (RequiredOption().Match(text) is { Success: true } m)
            return Language.Format(Strings.Parse_RequiredOption, m.Groups[1].Value);
        if (CannotParseForOption().Match(text) is { Success: true } p)
            return Language.Format(Strings.Parse_CannotParseForOption, p.Groups[1].Value, p.Groups[2].Value, p.Groups[3].Value);
        if (CannotParse().Match(text) is { Success: true } a)
            return Language.Format(Strings.Parse_CannotParse, a.Groups[1].Value, a.Groups[2].Value);
        if (ExpectsOne().Match(text) is { Success: true } e)
            return Language.Format(Strings.Parse_ExpectsOne, e.Groups[1].Value, e.Groups[2].Value);
        if (text == "Required command was not provided.")
            return Strings.Parse_RequiredCommand;
        return text;
    }

    [GeneratedRegex(@"^Option '([^']+)' is required\.$")]
    private static partial Regex RequiredOption();

    [GeneratedRegex(@"^Cannot parse argument '(.*)' for option '([^']+)' as expected type '([^']+)'\.")]
    private static partial Regex CannotParseForOption();

    [GeneratedRegex(@"^Cannot parse argument '(.*)'(?: for command '[^']*')? as expected type '([^']+)'\.")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"^Option '([^']+)' expects a single argument but (\d+) were provided\.$")]
    private static partial Regex ExpectsOne();
}
