namespace Mtls.Cli.Tests;

/// <summary>
/// In the `mtls serve` process OpenSSL itself refuses renegotiation (NoRenegotiation in the process's
/// OpenSSL configuration), so a renegotiating client gets a no_renegotiation alert at once, as from nginx
/// (the connection is then closed with close_notify). The in-process server tests (Mtls.Server.Tests.RenegotiationTests) cover the guard
/// without that configuration.
/// </summary>
[Trait("Category", "Interop")]
public sealed class ServeRenegotiationTests : IDisposable
{
    private readonly TempDir _dir = new();

    public ServeRenegotiationTests() => WorkshopPkiTests.MakeWorkshopPki(_dir);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_renegotiating_client_gets_no_renegotiation_and_close_notify_at_once()
    {
        using var server = await ServeProcess.StartAsync(_dir.Path, "--cert", "server.crt", "--key", "server.key", "--client-ca", "client-ca.crt", "--port", "0");
        // R renegotiates; stdin stays open, so only the server can end the connection.
        var (elapsed, output) = await Tool.RunWithOpenStdinAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{server.Port}", "-servername", "localhost",
            "-tls1_2", "-msg", "-CAfile", "server-ca.crt", "-cert", "client.crt", "-key", "client.key"], "R\n", _dir.Path);

        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"closed only after {elapsed.TotalSeconds:0.0} s\n{output}");
        Assert.Contains("RENEGOTIATING", output);
        // s_client answers the refusal with its own fatal alert and leaves (so it never reads our close_notify).
        Assert.Contains("<<< TLS 1.2, Alert [length 0002], warning no_renegotiation", output);
        Assert.Contains("no renegotiation", output);
        Assert.Contains("TLS renegotiation refused", await server.WaitForLineAsync("renegotiation"));
    }
}
