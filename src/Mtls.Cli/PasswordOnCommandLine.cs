namespace Mtls.Cli;

/// <summary>
/// Recognises an attempt to give a password as an argument (openssl's -passin/-passout, curl's --pass,
/// a guessed --password), so that the refusal can name the option without repeating its value.
/// </summary>
internal static class PasswordOnCommandLine
{
    private static readonly string[] Names = ["--password", "--pass", "--passin", "--passout", "--passphrase", "-passin", "-passout", "-pass"];

    /// <summary>The password-like option in <paramref name="args"/>, or null.</summary>
    public static string? Find(IEnumerable<string> args)
    {
        foreach (var arg in args)
        {
            var name = arg.Split('=', 2)[0];
            if (Names.Contains(name, StringComparer.OrdinalIgnoreCase)) return name;
        }
        return null;
    }
}
