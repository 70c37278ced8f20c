using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Mtls.Pki.Certificates;

namespace Mtls.Server.Tests;

/// <summary>
/// The client certificate's names are attacker-chosen text. A subject with a newline and a fake log
/// line, terminal escapes, bidi overrides or markup must come out escaped everywhere the server shows
/// it: the log entry, the text, HTML and JSON answers, and the 403 of a refused client.
/// </summary>
[Trait("Category", "Hostile")]
public class HostileIdentityTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    public static TheoryData<string, string> Subjects => new()
    {
        { "Mallory\n2026-11-27T05:00:00Z request GET / 200 from 127.0.0.1 client CN=admin", "Kame" },
        { "Bell\a\u001b[31mRED\u001b[0m\r\u0085next\u2028line", "Kame" },
        { "evil\u202Egnp.exe", "Kame\u200F" },
        { "\"><img src=x onerror=alert(1)>", "<script>alert(1)</script>" },
    };

    private static X500DistinguishedName Name(string cn, string o)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddOrganizationName(o);
        builder.AddCommonName(cn);
        return builder.Build();
    }

    [Theory]
    [MemberData(nameof(Subjects))]
    public async Task A_hostile_subject_is_escaped_in_the_log_text_html_and_json(string cn, string o)
    {
        var client = HostileCertificates.Client(pki.ClientCa, Name(cn, o));
        await using var server = await HostileServer.StartAsync(pki);

        var text = await server.GetAsync(client, "text/plain");
        var html = await server.GetAsync(client, "text/html");
        var json = await server.GetAsync(client, "application/json");

        Assert.True(text.Success, text.Failure?.Message);
        Assert.Equal(2, text.Body.TrimEnd('\n').Split('\n').Length); // "Hello, ...!" and "Your certificate: ..."
        AssertInert(text.Body, allowNewlines: true);
        AssertInert(html.Body, allowNewlines: true);
        Assert.DoesNotContain("<script", html.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html.Body, StringComparison.OrdinalIgnoreCase);
        AssertInert(json.Body, allowNewlines: true);
        Assert.DoesNotContain("<", json.Body); // System.Text.Json writes \u003C
        using var doc = JsonDocument.Parse(json.Body);
        var subject = doc.RootElement.GetProperty("client").GetProperty("subject").GetString()!;
        AssertInert(subject, allowNewlines: false);

        var requests = server.Log.Where(e => e.Kind == ServerLogKind.Request).ToList();
        Assert.Equal(3, requests.Count);
        foreach (var e in requests)
        {
            AssertInert(e.Message, allowNewlines: false);
            AssertInert(e.ClientSubject!, allowNewlines: false);
        }
    }

    [Theory]
    [MemberData(nameof(Subjects))]
    public async Task A_refused_hostile_client_is_escaped_in_the_403_and_the_log(string cn, string o)
    {
        var client = HostileCertificates.Client(pki.ImpostorCa, Name(cn, o));
        await using var server = await HostileServer.StartAsync(pki);

        var refused = await server.GetAsync(client);

        Assert.Equal(403, refused.StatusCode);
        Assert.Single(refused.Body.TrimEnd('\n').Split('\n'));
        AssertInert(refused.Body, allowNewlines: true);
        var rejected = Assert.Single(server.Log, e => e.Kind == ServerLogKind.Rejected);
        AssertInert(rejected.Message, allowNewlines: false);
        AssertInert(rejected.ClientSubject!, allowNewlines: false);
        await server.AssertGoodClientServedAsync();
    }

    [Fact]
    public async Task A_hostile_subject_is_one_json_line_with_the_exact_subject()
    {
        const string cn = "Mallory\n2026-11-27T05:00:00Z request GET / 200\u202Egnp.exe";
        var client = HostileCertificates.Client(pki.ClientCa, Name(cn, "<script>alert(1)</script>"));
        await using var server = await HostileServer.StartAsync(pki);

        var answer = await server.GetAsync(client);
        var request = await server.WaitForLogAsync(e => e.Kind == ServerLogKind.Request);
        var line = ServerLogJson.Line(request);

        Assert.True(answer.Success, answer.Failure?.Message);
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\u202E', line);
        using var doc = JsonDocument.Parse(line);
        var subject = doc.RootElement.GetProperty("client_subject").GetString()!;
        Assert.Equal("O=\\<script\\>alert(1)\\</script\\>,CN=" + cn, subject); // RFC 4514 escapes its specials; the rest is exact
        Assert.Equal("request", doc.RootElement.GetProperty("event").GetString());
        Assert.Equal(200, doc.RootElement.GetProperty("status").GetInt32());
    }

    /// <summary>No control characters (line breaks only where the format has them), no bidi or invisible format characters.</summary>
    private static void AssertInert(string s, bool allowNewlines)
    {
        foreach (var c in s)
        {
            if (allowNewlines && c == '\n') continue;
            Assert.False(char.IsControl(c) || c is '\u2028' or '\u2029' || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format,
                $"U+{(int)c:X4} reached the output: {s}");
        }
    }
}
