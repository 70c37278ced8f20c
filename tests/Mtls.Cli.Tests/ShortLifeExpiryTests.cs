using System.Security.Cryptography.X509Certificates;

namespace Mtls.Cli.Tests;

/// <summary>
/// `cert show` (and the workshop, which uses the same words) on a certificate with less than a day left:
/// the online CA's certificates live minutes or hours, and "expires in 0 days" said nothing.
/// </summary>
public sealed class ShortLifeExpiryTests
{
    [Theory]
    [InlineData(59, "expires in 59 s")]
    [InlineData(90 * 60, "expires in 90 min")]
    [InlineData(3 * 3600 + 10, "expires in 3 h")]
    [InlineData(36 * 3600, "expires in 2 days")]
    public void Cert_show_says_how_long_is_left_in_the_largest_useful_unit(long secondsLeft, string expected)
    {
        using var d = new TempDir();
        Assert.Equal(0, Cli.Run("ca", "create", "--subject", "/CN=Short CA", "--out", d["ca.crt"], "--key-out", d["ca.key"]).ExitCode);
        Assert.Equal(0, Cli.Run("key", "create", "--out", d["a.key"]).ExitCode);
        Assert.Equal(0, Cli.Run("csr", "create", "--key", d["a.key"], "--subject", "/CN=a", "--san", "a.example", "--out", d["a.csr"]).ExitCode);
        Assert.Equal(0, Cli.Run("ca", "sign", d["a.csr"], "--ca-cert", d["ca.crt"], "--ca-key", d["ca.key"], "--profile", "server", "--days", "30", "--out", d["a.crt"]).ExitCode);
        using var cert = X509CertificateLoader.LoadCertificateFromFile(d["a.crt"]);
        var notAfter = new DateTimeOffset(cert.NotAfter.ToUniversalTime());

        var shown = Cli.RunAt(notAfter.AddSeconds(-secondsLeft), "cert", "show", d["a.crt"]);

        Assert.Equal(0, shown.ExitCode);
        Assert.Contains($"({expected})", shown.Stdout);
    }
}
