using System.CommandLine;
using Mtls.Cli.Resources;
using Mtls.Pki.Text;
using Mtls.Pki;
using Mtls.Pki.IO;
using Mtls.Pki.Names;

namespace Mtls.Cli;

/// <summary>
/// The one flag vocabulary every command shares (openssl and curl users' words). Options are created
/// per command because an Option instance belongs to one parent.
/// </summary>
public static class CommonOptions
{
    /// <summary>--verbose, on the root and every command below it; read with <see cref="IsVerbose"/> (made per tree: its description is in the tree's language).</summary>
    public static Option<bool> Verbose() => new("--verbose", "-v") { Description = HelpText.Opt_Verbose, Recursive = true };

    public static bool IsVerbose(ParseResult parse) => parse.GetValue<bool>("--verbose");

    public static Option<string> Out(string description, bool required = true) => new("--out", "-o") { Description = description, Required = required };
    public static Option<bool> Force() => new("--force") { Description = Strings.Opt_Force };
    public static Option<bool> Json() => new("--json") { Description = Strings.Opt_Json };
    public static Option<string?> PasswordFile(string? description = null) =>
        new("--password-file") { Description = description ?? Strings.Opt_PasswordFile };
    public static Option<int?> Days(string description) => new("--days") { Description = description };
    public static Option<string[]> San() => new("--san")
    {
        Description = Strings.Opt_San,
        AllowMultipleArgumentsPerToken = false,
    };
    public static Option<string> Subject(bool required = true) => new("--subject", "--subj")
    {
        Description = Strings.Opt_Subject,
        Required = required,
    };
    public static Option<string?> Curve(string defaultCurve) => new("--curve") { Description = Language.Format(Strings.Opt_Curve, defaultCurve) };
    public static Option<int?> Rsa() => new("--rsa") { Description = Strings.Opt_Rsa };

    /// <summary>The password from --password-file, else from the MTLS_PASSWORD environment variable, else null.</summary>
    public static string? ReadPassword(string? file, CliContext ctx)
    {
        if (file is not null) return InputFile.ReadPassword(file);
        var env = ctx.Env("MTLS_PASSWORD");
        return string.IsNullOrEmpty(env) ? null : env;
    }

    public static IReadOnlyList<SubjectAlternativeName> ParseSans(string[]? values) =>
        values is null ? [] : values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(SubjectAlternativeName.Parse).Distinct().ToList();

    public static void RequireDays(int? days)
    {
        if (days is <= 0)
            throw new MtlsException(Language.Format(Strings.Error_DaysAtLeastOne, days));
    }
}
