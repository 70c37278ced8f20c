using System.Text.Json;

namespace Mtls.Cli.Tests;

/// <summary>
/// `mtls serve --log-format json` run as a user runs it, visited by real curl: a good client, one without
/// a certificate (403), a hostile subject and plain http:// (400). Every stdout line must parse as JSON,
/// with the fields of its event; the hostile subject is one line holding the name's real characters.
/// </summary>
public sealed class ServeJsonLogTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Every_line_is_a_json_event_with_its_fields()
    {
        const string evilCn = "Mallory\n2026-11-27T05:00:00Z request GET / 200\u202Egnp.exe";
        HostileServePki.Write(_dir.Path, evilCn);
        using var server = await HostileServePki.ServeAsync(_dir.Path, null, "--log-format", "json");
        var stderr = "";
        try
        {
            var warnings = 0;
            async Task<JsonElement> NextAsync()
            {
                var line = await server.ReadLineAsync();
                Assert.NotNull(line);
                using var doc = JsonDocument.Parse(line); // throws on anything but one JSON object
                // Test certificates expire soon: their expiry warnings come as lines too, parsed and passed over.
                if (doc.RootElement.GetProperty("event").GetString() == "expiry_warning")
                {
                    warnings++;
                    Assert.Equal(30, doc.RootElement.GetProperty("event_id").GetInt32());
                    return await NextAsync();
                }
                return doc.RootElement.Clone();
            }

            using (var first = JsonDocument.Parse(server.FirstLine))
            {
                Assert.Equal("started", first.RootElement.GetProperty("event").GetString());
                Assert.Equal(1, first.RootElement.GetProperty("event_id").GetInt32());
            }
            var url = server.Url;
            Assert.StartsWith("https://", url);

            Assert.Equal(0, Tool.Run("curl", HostileServePki.Curl("good", url + "hello"), _dir.Path).ExitCode);
            var good = await NextAsync();
            Assert.Equal(0, Tool.Run("curl", ["-sS", "-o", "/dev/null", "--cacert", "server-ca.crt", url], _dir.Path).ExitCode);
            var refused = await NextAsync();
            Assert.Equal(0, Tool.Run("curl", HostileServePki.Curl("evil", url + "hello"), _dir.Path).ExitCode);
            var evil = await NextAsync();
            Assert.Equal(0, Tool.Run("curl", ["-sS", "-o", "/dev/null", url.Replace("https://", "http://", StringComparison.Ordinal)], _dir.Path).ExitCode);
            var plain = await NextAsync();

            Assert.Equal("request", good.GetProperty("event").GetString());
            Assert.Equal(10, good.GetProperty("event_id").GetInt32());
            // remote is ADDR:PORT in every event (README, Logs): the request's and the plain_http's alike.
            Assert.Matches("^127\\.0\\.0\\.1:[0-9]+$", good.GetProperty("remote").GetString());
            Assert.Equal("GET", good.GetProperty("method").GetString());
            Assert.Equal("/hello", good.GetProperty("path").GetString());
            Assert.Equal(200, good.GetProperty("status").GetInt32());
            Assert.Equal("CN=Super Client,O=Kame", good.GetProperty("client_subject").GetString());
            Assert.Equal("CN=ca.client.example.com,O=Kame", good.GetProperty("client_issuer").GetString());
            Assert.Matches("^[0-9A-F]{2}(:[0-9A-F]{2})+$", good.GetProperty("client_serial").GetString());
            Assert.Contains("GET /hello 200", good.GetProperty("message").GetString());

            Assert.Equal("rejected", refused.GetProperty("event").GetString());
            Assert.Equal(403, refused.GetProperty("status").GetInt32());
            Assert.Equal("NoCertificate", refused.GetProperty("reason").GetString());
            Assert.False(refused.TryGetProperty("client_subject", out _));

            Assert.Equal("request", evil.GetProperty("event").GetString());
            Assert.Equal("O=\\<script\\>alert(1)\\</script\\>,CN=" + evilCn, evil.GetProperty("client_subject").GetString());

            Assert.Equal("plain_http", plain.GetProperty("event").GetString());
            Assert.Equal(400, plain.GetProperty("status").GetInt32());
            Assert.Matches("^127\\.0\\.0\\.1:[0-9]+$", plain.GetProperty("remote").GetString());
            Assert.Matches("^127\\.0\\.0\\.1:[0-9]+$", refused.GetProperty("remote").GetString());
        }
        finally
        {
            stderr = await server.StopAsync();
        }
        Assert.DoesNotContain("warning", stderr); // json mode: every event on stdout
    }

    [Fact]
    public async Task A_japanese_locale_logs_in_japanese_and_answers_in_japanese_unless_asked_for_english()
    {
        HostileServePki.Write(_dir.Path);
        using var server = await HostileServePki.ServeAsync(_dir.Path, new Dictionary<string, string?> { ["LC_ALL"] = "", ["LANG"] = "ja_JP.UTF-8" }, "--log-format", "json");
        async Task<JsonElement> NextAsync(string name)
        {
            while (await server.ReadLineAsync() is { } line)
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.GetProperty("event").GetString() == name) return doc.RootElement.Clone();
            }
            throw new InvalidOperationException($"mtls serve exited before a {name} line");
        }

        using var startedDoc = JsonDocument.Parse(server.FirstLine);
        var started = startedDoc.RootElement;
        var url = server.Url;
        var answer = Tool.Run("curl", ["-sS", "--cacert", "server-ca.crt", url], _dir.Path);
        var rejected = await NextAsync("rejected");

        Assert.Contains("で待ち受けています。クライアント証明書: 必須", started.GetProperty("message").GetString());
        Assert.EndsWith("から): クライアント証明書が送られていません", rejected.GetProperty("message").GetString());
        Assert.StartsWith("403 Forbidden: このサーバーには ", answer.Stdout); // no Accept-Language: the server's language
        var english = Tool.Run("curl", ["-sS", "-H", "Accept-Language: en", "--cacert", "server-ca.crt", url], _dir.Path);
        Assert.StartsWith("403 Forbidden: this server requires a client certificate", english.Stdout);
    }
}
