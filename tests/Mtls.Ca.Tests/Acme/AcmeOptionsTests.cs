using System.Net;
using Mtls.Ca.Acme;
using Mtls.Pki.Text;

namespace Mtls.Ca.Tests.Acme;

/// <summary>The test overrides (--acme-http-port, --acme-tls-port, --acme-resolve): parsed strictly, and announced loudly when on.</summary>
[Trait("Category", "Acme")]
public sealed class AcmeOptionsTests
{
    [Fact]
    public void TheRfcDefaults_HaveNoWarning() => Assert.Null(new AcmeOptions().TestOverridesWarning(Language.English));

    [Fact]
    public void AnyOverride_IsAnnouncedWithItsValues_InBothLanguages()
    {
        var options = new AcmeOptions { HttpPort = 5002, Resolve = new Dictionary<string, IPAddress> { ["acme-test.localhost"] = IPAddress.Loopback } };
        var english = options.TestOverridesWarning(Language.English)!;
        Assert.StartsWith("WARNING: ACME TEST OVERRIDES ARE ON", english, StringComparison.Ordinal);
        Assert.Contains("5002", english, StringComparison.Ordinal);
        Assert.Contains("443", english, StringComparison.Ordinal);
        Assert.Contains("acme-test.localhost=127.0.0.1", english, StringComparison.Ordinal);
        var japanese = options.TestOverridesWarning(Language.Japanese)!;
        Assert.StartsWith("警告", japanese, StringComparison.Ordinal);
        Assert.Contains("acme-test.localhost=127.0.0.1", japanese, StringComparison.Ordinal);
        Assert.NotNull(new AcmeOptions { TlsPort = 5001 }.TestOverridesWarning(Language.English));
    }

    [Theory]
    [InlineData("Acme-Test.LocalHost.=127.0.0.1", "acme-test.localhost", "127.0.0.1")]
    [InlineData("v6.test=::1", "v6.test", "::1")]
    public void Resolve_ParsesNameEqualsAddress(string text, string name, string address)
    {
        var parsed = AcmeOptions.ParseResolve(text);
        Assert.Equal((name, IPAddress.Parse(address)), (parsed!.Value.Key, parsed.Value.Value));
    }

    [Theory]
    [InlineData("acme-test.localhost")]
    [InlineData("=127.0.0.1")]
    [InlineData("name=not-an-address")]
    public void Resolve_RefusesOtherShapes(string text) => Assert.Null(AcmeOptions.ParseResolve(text));
}
