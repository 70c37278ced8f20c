namespace Mtls.Cli.Tests;

/// <summary>
/// A password is taken from a file or MTLS_PASSWORD only, and never shows up in what mtls prints: not
/// on success, not when it is wrong, not when someone tries to pass it on the command line.
/// </summary>
public sealed class PasswordSecrecyTests : IDisposable
{
    private const string Right = "Right-Horse-Battery-4471";
    private const string Wrong = "Wrong-Staple-Password-9913";
    private readonly TempDir _dir = new();

    public PasswordSecrecyTests()
    {
        File.WriteAllText(_dir["right.txt"], Right + "\n");
        File.WriteAllText(_dir["wrong.txt"], Wrong + "\n");
        Check(Cli.Process(_dir.Path, "key", "create", "--out", "enc.key", "--password-file", "right.txt"), 0);
        Check(Cli.Process(_dir.Path, "ca", "create", "--subject", "/CN=Secret CA", "--out", "ca.crt", "--key-out", "ca.key", "--password-file", "right.txt"), 0);
        Check(Cli.Process(_dir.Path, "csr", "create", "--key", "enc.key", "--password-file", "right.txt", "--subject", "/CN=localhost", "--out", "s.csr"), 0);
        Check(Cli.Process(_dir.Path, "ca", "sign", "s.csr", "--ca-cert", "ca.crt", "--ca-key", "ca.key", "--password-file", "right.txt", "--profile", "server", "--out", "s.crt"), 0);
    }

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string[]> WrongPasswordCommands => new()
    {
        new[] { "csr", "create", "--key", "enc.key", "--password-file", "wrong.txt", "--subject", "/CN=x", "--out", "x.csr" },
        new[] { "ca", "sign", "s.csr", "--ca-cert", "ca.crt", "--ca-key", "ca.key", "--password-file", "wrong.txt", "--profile", "server", "--out", "x.crt" },
        new[] { "serve", "--cert", "s.crt", "--key", "enc.key", "--password-file", "wrong.txt", "--port", "0" },
        new[] { "get", "https://localhost:1/", "--cert", "s.crt", "--key", "enc.key", "--password-file", "wrong.txt" },
        new[] { "csr", "create", "--key", "enc.key", "--subject", "/CN=x", "--out", "y.csr", "--verbose", "--password-file", "wrong.txt" },
    };

    [Theory]
    [MemberData(nameof(WrongPasswordCommands))]
    public void A_wrong_password_file_is_refused_without_printing_either_password(string[] args)
    {
        var result = Cli.Process(_dir.Path, args);
        Assert.Equal(1, result.ExitCode); // the key was read but refused to open: the operation failed (exit 1)
        Assert.StartsWith("mtls: error: ", result.Stderr);
        AssertSecret(result);
    }

    [Fact]
    public void A_wrong_MTLS_PASSWORD_is_refused_without_printing_it()
    {
        var run = Tool.Run("dotnet", [Cli.Dll, "csr", "create", "--key", "enc.key", "--subject", "/CN=x", "--out", "z.csr"], _dir.Path,
            environment: new Dictionary<string, string> { ["MTLS_PASSWORD"] = Wrong });
        var result = new CliResult(run.ExitCode, run.Stdout, run.Stderr);
        Assert.Equal(1, result.ExitCode);
        AssertSecret(result);
    }

    [Theory]
    [InlineData("--password")]
    [InlineData("--pass")]
    [InlineData("-passin")]
    [InlineData("--password=")]
    public void A_password_on_the_command_line_is_refused_and_not_echoed(string option)
    {
        string[] args = option.EndsWith('=') ? ["key", "create", "--out", "cmdline.key", option + Wrong] : ["key", "create", "--out", "cmdline.key", option, Wrong];
        var result = Cli.Process(_dir.Path, args);
        Assert.Equal(2, result.ExitCode);
        AssertSecret(result);
        Assert.Contains("--password-file", result.Stderr);
        Assert.False(File.Exists(_dir["cmdline.key"]));
    }

    private static void AssertSecret(CliResult result)
    {
        foreach (var secret in (string[])[Right, Wrong])
        {
            Assert.DoesNotContain(secret, result.Stdout);
            Assert.DoesNotContain(secret, result.Stderr);
        }
    }

    private static void Check(CliResult result, int expected) => Assert.True(result.ExitCode == expected, result.ToString());
}
