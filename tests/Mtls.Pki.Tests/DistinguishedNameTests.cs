using System.Security.Cryptography.X509Certificates;
using Mtls.Pki;
using Mtls.Pki.Names;

namespace Mtls.Pki.Tests;

public class DistinguishedNameTests
{
    [Theory]
    [InlineData("/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=ca.server.example.com")]
    [InlineData("/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=localhost")]
    [InlineData("/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=Super Client")]
    [InlineData("/O=Kame/OU=Platform/CN=api.internal/emailAddress=ops@example.com")]
    public void Encodes_the_subject_exactly_as_openssl_does(string subject)
    {
        using var dir = new TempDir();
        var r = Tool.Run("bash", ["-c", $"openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout k.pem -subj '{subject}' -outform DER -out req.der 2>/dev/null && openssl req -in req.der -inform DER -noout -subject -nameopt RFC2253 >/dev/null"], dir.Path);
        Assert.True(r.ExitCode == 0, r.ToString());
        var request = CertificateRequest.LoadSigningRequest(File.ReadAllBytes(dir["req.der"]), System.Security.Cryptography.HashAlgorithmName.SHA256);
        Assert.Equal(Convert.ToHexString(request.SubjectName.RawData), Convert.ToHexString(DistinguishedName.Parse(subject).RawData));
    }

    [Fact]
    public void Slash_and_rfc4514_forms_give_the_same_name()
    {
        var slash = DistinguishedName.Parse("/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=localhost");
        var rfc = DistinguishedName.Parse("CN=localhost,O=Kame,L=Chuo,ST=Tokyo,C=JP");
        Assert.Equal(slash.RawData, rfc.RawData);
        Assert.Equal("CN=localhost,O=Kame,L=Chuo,ST=Tokyo,C=JP", DistinguishedName.Format(slash));
    }

    [Theory]
    [InlineData("/C=JP/O=A\\/B/CN=x", "CN=x,O=A/B,C=JP")]
    [InlineData("CN=Doe\\, John,O=Kame", "CN=Doe\\, John,O=Kame")]
    [InlineData("/CN=Super Client", "CN=Super Client")]
    public void Escapes_round_trip(string input, string formatted) =>
        Assert.Equal(formatted, DistinguishedName.Format(DistinguishedName.Parse(input)));

    [Theory]
    [InlineData("/C=JAPAN/CN=x", "two-letter country code")]
    [InlineData("/XX=1", "unknown attribute 'XX'")]
    [InlineData("/CN=", "empty value")]
    [InlineData("", "subject is empty")]
    [InlineData("/CN=a+OU=b", "multi-valued")]
    [InlineData("/CNlocalhost", "not NAME=value")]
    public void Bad_subjects_are_refused_with_a_reason(string input, string expected)
    {
        var e = Assert.Throws<MtlsException>(() => DistinguishedName.Parse(input));
        Assert.Contains(expected, e.Message);
        Assert.Equal(ExitCode.BadInput, e.ExitCode);
    }

    [Fact]
    public void Control_characters_are_escaped_so_names_cannot_forge_log_lines()
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName("evil\n2026-01-01 INFO accepted CN=admin");
        var formatted = DistinguishedName.Format(builder.Build());
        Assert.DoesNotContain("\n", formatted);
        Assert.Contains("\\0A", formatted);
    }
}
