namespace Mtls.Cli.Tests;

/// <summary>
/// `mtls serve` run as a user runs it, visited by a client whose certificate subject carries a newline
/// and a fake log line, terminal escapes and a bidi override: its stdout log must stay one line per
/// request, with every such character escaped, so the next (good) request is the next line.
/// </summary>
[Trait("Category", "Hostile")]
public sealed class ServeHostileIdentityTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_hostile_subject_cannot_forge_or_garble_a_serve_log_line()
    {
        HostileServePki.Write(_dir.Path, "Mallory\n2026-11-27T05:00:00Z request GET / 200 from 127.0.0.1 client CN=admin\u001b[2K\u202E");
        using var server = await HostileServePki.ServeAsync(_dir.Path);
        foreach (var who in (string[])["evil", "good"])
            Assert.Equal(0, Tool.Run("curl", HostileServePki.Curl(who, server.Url), _dir.Path).ExitCode);

        var evil = await server.ReadLineAsync();
        var good = await server.ReadLineAsync();

        Assert.NotNull(evil);
        Assert.Contains("request GET / 200", evil);
        Assert.Contains("CN=Mallory\\0A2026-11-27T05:00:00Z", evil);
        Assert.Contains("\\1B[2K\\E2\\80\\AE", evil);
        Assert.DoesNotContain(evil, c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format);
        Assert.Contains("client CN=Super Client,O=Kame", good); // the very next line is the next request
    }
}
