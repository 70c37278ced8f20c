using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Text;
using Mtls.Pki.Trust;

namespace Mtls.Pki.Tests;

/// <summary>
/// Every <see cref="FailureReason"/> told in English and in Japanese from the same facts: the sentence is
/// translated, the names, dates and serials in it are not. Never depends on the machine's locale.
/// </summary>
public sealed class FailureMessageTests
{
    private static readonly DateTimeOffset At = TestCert.At;

    private static VerifyOptions Server(string host = "www.example.com") => new() { At = At, Purpose = Purpose.Server, Host = host };

    private static TestCert Leaf(TestCert issuer, DateTimeOffset? nb = null, DateTimeOffset? na = null, string[]? eku = null, X509Extension? extra = null) =>
        TestCert.Make("CN=www.example.com", issuer, notBefore: nb, notAfter: na, eku: eku, dns: ["www.example.com"], san: extra);

    /// <summary>A failure of each reason, with facts its sentence must name in every language.</summary>
    public static TheoryData<FailureReason> Reasons() => [.. Enum.GetValues<FailureReason>().Where(r => r != FailureReason.None)];

    private static (VerifyFailure Failure, string[] Facts) Make(FailureReason reason)
    {
        var root = TestCert.Root();
        var ica = TestCert.Make("CN=Test Intermediate", root, ca: true);
        VerifyFailure Verify(TestCert leaf, TestCert[] untrusted, VerifyOptions options, params TestCert[] anchors) =>
            new ChainVerifier((anchors.Length > 0 ? anchors : [root]).Select(a => a.Cert)).Verify(leaf.Cert, untrusted.Select(u => u.Cert).ToList(), options).Failure
            ?? throw new InvalidOperationException($"{reason}: the case verified");
        switch (reason)
        {
            case FailureReason.NoCertificate:
                return (VerifyFailure.NoClientCertificate, []);
            case FailureReason.UnknownIssuer:
                return (Verify(Leaf(ica), [], Server()), ["CN=www.example.com", "CN=Test Intermediate", "CN=Test Root"]);
            case FailureReason.Expired:
                return (Verify(Leaf(ica, na: At.AddDays(-1)), [ica], Server()), ["CN=www.example.com", "2024-12-31 00:00:00 UTC", "2025-01-01 00:00:00 UTC"]);
            case FailureReason.NotYetValid:
                return (Verify(Leaf(ica, nb: At.AddDays(1)), [ica], Server()), ["CN=www.example.com", "2025-01-02 00:00:00 UTC"]);
            case FailureReason.WrongUsage:
                return (Verify(Leaf(ica, eku: ["1.3.6.1.5.5.7.3.2"]), [ica], Server()), ["CN=www.example.com", "clientAuth", "serverAuth"]);
            case FailureReason.BadSignature:
                // Names the root but signed by another key, with no key id to tell them apart.
                var forged = TestCert.Make("CN=www.example.com", null, dns: ["www.example.com"], signingKey: ECDsa.Create(ECCurve.NamedCurves.nistP256), issuerName: "CN=Test Root", aki: false);
                return (Verify(forged, [], Server()), ["CN=www.example.com", "CN=Test Root"]);
            case FailureReason.NotACa:
                var notCa = TestCert.Make("CN=Not A CA", root);
                return (Verify(Leaf(notCa), [notCa], Server()), ["CN=Not A CA", "basicConstraints"]);
            case FailureReason.PathLengthExceeded:
                var limited = TestCert.Make("CN=Limited", root, ca: true, pathLen: 0);
                var below = TestCert.Make("CN=Below", limited, ca: true);
                return (Verify(Leaf(below), [limited, below], Server()), ["CN=Limited", "pathLenConstraint"]);
            case FailureReason.HostMismatch:
                return (Verify(Leaf(ica), [ica], Server("api.example.com")), ["CN=www.example.com", "api.example.com", "DNS:www.example.com"]);
            case FailureReason.NameConstraintsViolated:
                // nameConstraints (permitted DNS example.com) in a leaf: a lapse, refused under Strict.
                var nc = new X509Extension("2.5.29.30", Convert.FromHexString("3011A00F300D820B6578616D706C652E636F6D"), critical: true);
                return (Verify(Leaf(ica, extra: nc), [ica], Server() with { Strict = true }), ["CN=www.example.com", "nameConstraints"]);
            case FailureReason.Revoked or FailureReason.CrlProblem:
                var leaf = Leaf(ica);
                var builder = new CertificateRevocationListBuilder();
                builder.AddEntry(leaf.Cert, At.AddDays(-3), X509RevocationReason.KeyCompromise);
                using (var signer = ica.Cert.CopyWithPrivateKey(ica.Key))
                {
                    var crl = builder.Build(signer, 1, At.AddDays(7), HashAlgorithmName.SHA256, thisUpdate: At.AddDays(-1));
                    var options = Server() with { Crls = [crl], At = reason == FailureReason.Revoked ? At : At.AddDays(8) };
                    return reason == FailureReason.Revoked
                        ? (Verify(leaf, [ica], options), ["CN=www.example.com", leaf.Cert.SerialNumber, "2024-12-29 00:00:00 UTC", "keyCompromise", "CN=Test Intermediate"])
                        : (Verify(leaf, [ica], options), ["CN=www.example.com", "CN=Test Intermediate", "2025-01-08 00:00:00 UTC"]);
                }
            case FailureReason.ChainTooDeep:
                var chain = new List<TestCert>();
                var issuer = root;
                for (var i = 0; i < 3; i++) chain.Add(issuer = TestCert.Make($"CN=Level {i}", issuer, ca: true));
                return (Verify(Leaf(issuer), [.. chain], Server() with { MaxDepth = 1 }), ["CN=Level 1"]);
            case FailureReason.Malformed:
                var noAki = TestCert.Make("CN=www.example.com", ica, dns: ["www.example.com"], aki: false);
                return (Verify(noAki, [ica], Server() with { Strict = true }), ["CN=www.example.com", "authorityKeyIdentifier"]);
            case FailureReason.UnsupportedAlgorithm:
                using (var rsa = RSA.Create(1024))
                {
                    var request = new CertificateRequest("CN=www.example.com", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                    var weak = request.Create(new X500DistinguishedName("CN=Test Root"), X509SignatureGenerator.CreateForECDsa(root.Key), At.AddDays(-1), At.AddDays(1), [1, 2, 3]);
                    return (Verify(new TestCert(weak, root.Key), [], new VerifyOptions { At = At }), ["CN=www.example.com", "1024", "P-256"]);
                }
            default:
                throw new ArgumentException($"no case for {reason}: add one", nameof(reason));
        }
    }

    [Theory]
    [MemberData(nameof(Reasons))]
    public void Every_reason_is_told_in_both_languages_with_its_facts(FailureReason reason)
    {
        var (failure, facts) = Make(reason);
        Assert.Equal(reason, failure.Reason);
        var english = failure.MessageIn(Language.English);
        var japanese = failure.MessageIn(Language.Japanese);
        Assert.NotEqual(english, japanese);
        Assert.Contains(japanese, c => c >= 0x3040); // kana or kanji
        Assert.DoesNotContain(english, c => c >= 0x3040);
        foreach (var fact in facts)
        {
            Assert.Contains(fact, english);
            Assert.Contains(fact, japanese);
        }
    }

    [Fact]
    public void Message_follows_the_current_UI_culture()
    {
        var (failure, _) = Make(FailureReason.Expired);
        Assert.Equal(failure.MessageIn(Language.Japanese), Cultures.Under(Language.Japanese, () => failure.Message));
        Assert.Equal(failure.MessageIn(Language.English), Cultures.Under(Language.English, () => failure.Message));
        Assert.StartsWith("CN=www.example.com: expired on 2024-12-31 00:00:00 UTC", failure.MessageIn(Language.English));
    }

    [Fact]
    public void A_lapse_is_told_in_both_languages()
    {
        var root = TestCert.Root();
        var noAki = TestCert.Make("CN=www.example.com", root, dns: ["www.example.com"], aki: false);
        var result = new ChainVerifier([root.Cert]).Verify(noAki.Cert, null, Server());
        var lapse = Assert.Single(result.Lapses);
        Assert.NotEqual(lapse.Text.In(Language.English), lapse.Text.In(Language.Japanese));
        Assert.Contains("authorityKeyIdentifier", lapse.Text.In(Language.Japanese));
    }
}

/// <summary>Runs code under a UI culture and restores the previous one: tests never depend on the machine's locale.</summary>
internal static class Cultures
{
    public static T Under<T>(CultureInfo culture, Func<T> body)
    {
        var saved = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = culture;
        try { return body(); }
        finally { CultureInfo.CurrentUICulture = saved; }
    }
}
