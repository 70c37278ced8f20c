using System.Diagnostics;

namespace Mtls.Cli.Tests;

/// <summary>Keys are 0600 whatever the umask; a write killed at any moment leaves the old file or the new one.</summary>
public class FileSafetyTests
{
    [Theory]
    [InlineData("000")]
    [InlineData("022")]
    [InlineData("077")]
    public void Modes_do_not_depend_on_the_umask(string umask)
    {
        using var d = new TempDir();
        var r = Tool.Run("bash", ["-c", $"umask {umask} && dotnet '{Cli.Dll}' ca create --subject /CN=ca --out ca.crt --key-out ca.key"], d.Path);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(d["ca.key"]));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(d["ca.crt"]));
    }

    [Fact]
    public void A_key_write_killed_at_random_moments_leaves_the_old_key_or_a_whole_new_one()
    {
        using var d = new TempDir();
        var path = d["k.pem"];
        Assert.Equal(0, Cli.Run("key", "create", "--out", path).ExitCode);
        var random = new Random(12345);
        for (var i = 0; i < 12; i++)
        {
            var before = File.ReadAllText(path);
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { Cli.Dll, "key", "create", "--out", path, "--force" }) info.ArgumentList.Add(a);
            using var process = Process.Start(info)!;
            // Kill somewhere between start-up and completion (a JIT run takes roughly 100-300 ms here).
            process.WaitForExit(random.Next(20, 400));
            if (!process.HasExited) process.Kill();
            process.WaitForExit();
            var after = File.ReadAllText(path);
            Assert.True(after == before || IsWholeKey(path), $"round {i}: the key file is neither the old key nor a whole new one:\n{after}");
        }
    }

    private static bool IsWholeKey(string path) => Tool.Openssl("pkey", "-in", path, "-noout").ExitCode == 0;
}
