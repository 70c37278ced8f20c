using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Revocation;
using Mtls.Pki.Trust;
using Mtls.Pki.Validation;

namespace Mtls.Pki.Tests;

/// <summary>
/// One spelling per reason: what `mtls ca revoke --reason` accepts, what `crl show` prints and what the
/// validator says about a revoked certificate used to come from two tables that disagreed (cACompromise).
/// </summary>
public sealed class RevocationReasonsTests
{
    // Every reason .NET's CertificateRevocationListBuilder will write: it refuses removeFromCRL and
    // aACompromise, so those two are checked through Name alone.
    public static TheoryData<X509RevocationReason> Writable() => new(
        Enum.GetValues<X509RevocationReason>().Where(r => r is not (X509RevocationReason.RemoveFromCrl or X509RevocationReason.AACompromise) && (int)r <= 10));

    [Fact]
    public void Every_name_offered_to_revoke_with_parses_back_to_itself()
    {
        foreach (var name in RevocationReasons.Names)
            Assert.Equal(name, RevocationReasons.Name(RevocationReasons.Parse(name)));
    }

    [Theory]
    [InlineData("CACompromise", X509RevocationReason.CACompromise)]
    [InlineData("cACompromise", X509RevocationReason.CACompromise)] // RFC 5280's ASN.1 spelling
    [InlineData("KEYCOMPROMISE", X509RevocationReason.KeyCompromise)]
    public void Openssl_and_rfc_spellings_are_both_accepted(string name, X509RevocationReason expected) =>
        Assert.Equal(expected, RevocationReasons.Parse(name));

    [Theory]
    [InlineData("removeFromCRL", X509RevocationReason.RemoveFromCrl)]
    [InlineData("AACompromise", X509RevocationReason.AACompromise)]
    [InlineData("aACompromise", X509RevocationReason.AACompromise)]
    public void Reasons_this_ca_cannot_write_are_named_but_are_no_reason_to_revoke_with(string name, X509RevocationReason reason)
    {
        Assert.Equal(name.Equals("aACompromise", StringComparison.Ordinal) ? "AACompromise" : name, RevocationReasons.Name(reason));
        Assert.DoesNotContain(RevocationReasons.Name(reason), RevocationReasons.Names);
        Assert.Equal(MtlsErrorKind.UnknownRevocationReason, Assert.Throws<MtlsException>(() => RevocationReasons.Parse(name)).Kind);
    }

    /// <summary>
    /// Every reason offered to `ca revoke` can go into a CRL: AACompromise was offered, and .NET's builder
    /// refuses to write it, so one such revocation made every later `mtls ca crl` fail.
    /// </summary>
    [Fact]
    public void Every_reason_offered_to_revoke_with_can_be_written_into_a_crl()
    {
        var builder = new CertificateRevocationListBuilder();
        var serial = 1;
        foreach (var name in RevocationReasons.Names)
            builder.AddEntry([(byte)serial++], DateTimeOffset.UtcNow, RevocationReasons.Parse(name));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Reasons CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        Assert.NotEmpty(builder.Build(ca, 1, DateTimeOffset.UtcNow.AddDays(1), HashAlgorithmName.SHA256));
    }

    /// <summary>IsWritable is what .NET's CRL builder really accepts, code by code (asked, not assumed).</summary>
    [Fact]
    public void Is_writable_agrees_with_the_platforms_crl_builder_for_every_code()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Reasons CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.KeyCertSign, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        foreach (var reason in Enum.GetValues<X509RevocationReason>())
        {
            bool written;
            try
            {
                var builder = new CertificateRevocationListBuilder();
                builder.AddEntry([1], DateTimeOffset.UtcNow, reason);
                written = builder.Build(ca, 1, DateTimeOffset.UtcNow.AddDays(1), HashAlgorithmName.SHA256).Length > 0;
            }
            catch (ArgumentOutOfRangeException)
            {
                written = false;
            }
            Assert.True(written == RevocationReasons.IsWritable(reason), $"{reason}: the platform {(written ? "writes" : "refuses")} it");
        }
        Assert.False(RevocationReasons.IsWritable(X509RevocationReason.AACompromise));
    }

    [Fact]
    public void A_code_rfc_5280_does_not_define_is_shown_by_number() =>
        Assert.Equal("reason 11", RevocationReasons.Name((X509RevocationReason)11));

    [Theory]
    [MemberData(nameof(Writable))]
    public void The_validator_names_a_reason_as_the_cli_does(X509RevocationReason reason)
    {
        var root = TestCert.Root();
        var leaf = TestCert.Make("CN=www.example.com", root, dns: ["www.example.com"]);
        var builder = new CertificateRevocationListBuilder();
        builder.AddEntry(leaf.Cert, TestCert.At.AddDays(-3), reason);
        using var signer = root.Cert.CopyWithPrivateKey(root.Key);
        var crl = builder.Build(signer, 1, TestCert.At.AddDays(7), HashAlgorithmName.SHA256, thisUpdate: TestCert.At.AddDays(-1));
        var options = new VerifyOptions { At = TestCert.At, Purpose = Purpose.Server, Host = "www.example.com", Crls = [crl] };

        var result = new PathValidator([root.Cert]).Verify(leaf.Cert, null, options);

        Assert.Equal(FailureReason.Revoked, result.Failure?.Reason);
        Assert.DoesNotContain("reason ", RevocationReasons.Name(reason));
        Assert.Contains(RevocationReasons.Name(reason), result.Failure!.Message);
    }
}
