using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Names;
using Mtls.Pki.Trust;

namespace Mtls.Pki.Tests;

/// <summary>
/// Issue 13 item 3, the validator's side: a certificate carrying a SAN the CA refuses to sign (crafted here
/// byte for byte, as another CA could issue it) is refused by the validator, and one the CA signs is
/// accepted. The CA's side runs through the real commands in Mtls.Cli.Tests/SanAgreementTests.cs.
/// </summary>
public sealed class NameSyntaxAgreementTests
{
    private static VerifyResult VerifyWithSan(int tag, string? text, byte[]? bytes, string? host = null)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            var t = new Asn1Tag(TagClass.ContextSpecific, tag);
            if (text is not null) writer.WriteCharacterString(UniversalTagNumber.IA5String, text, t);
            else writer.WriteOctetString(bytes, t);
        }
        var root = TestCert.Root();
        var leaf = TestCert.Make("CN=Names Test", root, san: new X509Extension("2.5.29.17", writer.Encode(), critical: false));
        return new ChainVerifier([root.Cert]).Verify(leaf.Cert, null,
            new VerifyOptions { At = TestCert.At, Purpose = Purpose.Server, Host = host });
    }

    [Theory]
    [InlineData("example.com.")]
    [InlineData("*.com")]
    [InlineData("*")]
    [InlineData("a.*.example.com")]
    [InlineData("*a.example.com")]
    [InlineData("-x.example")]
    [InlineData("a..example")]
    [InlineData("bad host")]
    [InlineData("1.2.3.4")]
    [InlineData("a\0.example.com")]
    public void A_dns_name_the_ca_refuses_the_validator_refuses(string name)
    {
        Assert.NotNull(SubjectAlternativeName.Problem(new SubjectAlternativeName(SanKind.Dns, name)));
        var result = VerifyWithSan(2, name, null);
        Assert.Equal(FailureReason.Malformed, result.Failure?.Reason);
        Assert.Contains("its subjectAltName DNS:", result.Failure!.Message);
    }

    [Theory]
    [InlineData("nobody")]
    [InlineData("a@b@example.com")]
    [InlineData("\"q\"@example.com")]
    [InlineData("ops@example.com.")]
    [InlineData("ops@my host")]
    public void An_email_the_ca_refuses_the_validator_refuses(string email)
    {
        Assert.NotNull(SubjectAlternativeName.Problem(new SubjectAlternativeName(SanKind.Email, email)));
        Assert.Equal(FailureReason.Malformed, VerifyWithSan(1, email, null).Failure?.Reason);
    }

    [Fact]
    public void An_ip_address_of_five_bytes_is_refused()
    {
        Assert.NotNull(SubjectAlternativeName.Problem(SubjectAlternativeName.Decode(
            new X509Extension("2.5.29.17", [0x30, 0x07, 0x87, 0x05, 1, 2, 3, 4, 5], false).RawData, out _)[0]));
        Assert.Equal(FailureReason.Malformed, VerifyWithSan(7, null, [1, 2, 3, 4, 5]).Failure?.Reason);
    }

    [Theory]
    [InlineData("my_svc.internal", "my_svc.internal", true)]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example", false)]
    [InlineData("API.Example.COM", "api.example.com", false)]
    [InlineData("*.example.com", "a.example.com", false)]
    public void A_dns_name_the_ca_signs_the_validator_accepts_and_matches(string name, string host, bool underscore)
    {
        Assert.Null(SubjectAlternativeName.Problem(new SubjectAlternativeName(SanKind.Dns, name)));
        var result = VerifyWithSan(2, name, null, host);
        Assert.True(result.IsValid, result.Failure?.Message);
        Assert.Equal(underscore ? [LapseKind.UnderscoreInDnsName] : [], result.Lapses.Select(l => l.Kind));
    }

    [Fact]
    public void A_wildcard_over_an_underscore_name_is_read_but_matches_no_host()
    {
        // The CA refuses to issue it; another CA's certificate with it is still usable, only not for a host.
        Assert.Contains("never matches", SubjectAlternativeName.Problem(new SubjectAlternativeName(SanKind.Dns, "*.my_svc.internal"))?.In(Text.Language.English));
        Assert.True(VerifyWithSan(2, "*.my_svc.internal", null).IsValid);
        Assert.Equal(FailureReason.HostMismatch, VerifyWithSan(2, "*.my_svc.internal", null, "a.my_svc.internal").Failure?.Reason);
    }
}
