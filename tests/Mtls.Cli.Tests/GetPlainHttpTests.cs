using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Mtls.Cli.Tests;

/// <summary>`mtls get https://...` against a port that speaks plain HTTP: the error says so and what to do.</summary>
[Trait("Category", "Interop")]
public sealed partial class GetPlainHttpTests
{
    [Fact]
    public async Task A_server_answering_with_an_HTTP_status_line_is_named_plain_http()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            _ = await stream.ReadAsync(new byte[4096]); // the ClientHello
            await stream.WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 11\r\nConnection: close\r\n\r\nBad Request"u8.ToArray());
        });

        var result = Cli.Run("get", $"https://127.0.0.1:{port}/");
        await serve;

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"mtls: error: 127.0.0.1:{port} speaks plain HTTP, not TLS; use http://127.0.0.1:{port}/ or the server's HTTPS port\n", result.Stderr);
    }

    /// <summary>
    /// Python's http.server (what a learner starts with `python3 -m http.server`) answers a ClientHello
    /// with an HTML error page and no status line; the platform's own words were "Cannot determine the
    /// frame size or a corrupted frame was received".
    /// </summary>
    [Fact]
    public async Task Pythons_http_server_is_named_plain_http_not_a_corrupted_frame()
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-u", "-m", "http.server", "0", "--bind", "127.0.0.1"]) info.ArgumentList.Add(a);
        using var python = Process.Start(info)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var banner = await python.StandardOutput.ReadLineAsync(timeout.Token); // "Serving HTTP on 127.0.0.1 port 40113 (http://...)"
            var port = PortOf().Match(banner ?? "") is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"python3 -m http.server said: {banner}");

            var result = Cli.Run("get", $"https://127.0.0.1:{port}/");

            Assert.Equal(1, result.ExitCode);
            Assert.Equal($"mtls: error: 127.0.0.1:{port} answered in plain text, not TLS (it began \"<!DOCTYPE HTML>\"): it is a plain-HTTP server; use http://127.0.0.1:{port}/ or the server's HTTPS port\n", result.Stderr);
            Assert.DoesNotContain("frame", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            python.Kill();
        }
    }

    [GeneratedRegex(@"port ([0-9]+)")]
    private static partial Regex PortOf();
}
