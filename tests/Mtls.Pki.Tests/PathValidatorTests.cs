using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Trust;
using Mtls.Pki.Validation;

namespace Mtls.Pki.Tests;

/// <summary>Chain rules as a truth table, at a fixed time, with certificates made at test time.</summary>
public sealed class PathValidatorTests
{
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    private sealed record Case(TestCert[] Anchors, TestCert Leaf, TestCert[] Untrusted, VerifyOptions Options);

    private static VerifyOptions Server(string? host = "www.example.com") => new() { At = TestCert.At, Purpose = Purpose.Server, Host = host };

    private static Case Build(string name)
    {
        var root = TestCert.Root();
        var ica = TestCert.Make("CN=Test Intermediate", root, ca: true);
        TestCert Leaf(TestCert issuer, DateTimeOffset? nb = null, DateTimeOffset? na = null, string[]? eku = null) =>
            TestCert.Make("CN=www.example.com", issuer, notBefore: nb, notAfter: na, eku: eku, dns: ["www.example.com"]);
        switch (name)
        {
            case "valid": return new([root], Leaf(ica), [ica], Server());
            case "valid-wildcard":
                return new([root], TestCert.Make("CN=*.example.com", ica, dns: ["*.example.com"]), [ica], Server());
            case "expired": return new([root], Leaf(ica, na: TestCert.At.AddDays(-1)), [ica], Server());
            case "not-yet-valid": return new([root], Leaf(ica, nb: TestCert.At.AddDays(1)), [ica], Server());
            case "expired-intermediate":
                var old = TestCert.Make("CN=Test Intermediate", root, ca: true, notAfter: TestCert.At.AddSeconds(-1), key: ica.Key);
                return new([root], Leaf(ica), [old], Server());
            case "wrong-eku": return new([root], Leaf(ica, eku: [ClientAuth]), [ica], Server());
            case "client-ok": return new([root], Leaf(ica, eku: [ClientAuth]), [ica], new() { At = TestCert.At, Purpose = Purpose.Client });
            case "not-a-ca":
                var notCa = TestCert.Make("CN=Not A CA", root, ca: false);
                return new([root], Leaf(notCa), [notCa], Server());
            case "pathlen-exceeded":
                var limited = TestCert.Make("CN=Limited", root, ca: true, pathLen: 0);
                var below = TestCert.Make("CN=Below", limited, ca: true);
                return new([root], Leaf(below), [limited, below], Server());
            case "unknown-issuer": return new([TestCert.Root("CN=Other Root")], Leaf(ica), [ica], Server());
            case "missing-intermediate": return new([root], Leaf(ica), [], Server());
            case "same-name-different-key":
                var impostor = TestCert.Root();
                return new([root], Leaf(impostor), [], Server());
            case "host-mismatch": return new([root], Leaf(ica), [ica], Server("api.example.com"));
            case "ip-host": return new([root], Leaf(ica), [ica], Server("192.0.2.1"));
            case "backtracking":
                // Two intermediates with the same name and key: the first offered is expired, the second good.
                var expired = TestCert.Make("CN=Test Intermediate", root, ca: true, notAfter: TestCert.At.AddDays(-10), key: ica.Key);
                return new([root], Leaf(ica), [expired, ica], Server());
            case "backtracking-bad-signature":
                // Same name, different keys: only the second signed the leaf.
                var other = TestCert.Make("CN=Test Intermediate", root, ca: true);
                return new([root], Leaf(ica), [other, ica], Server());
            case "cycle":
                var a = TestCert.Root("CN=A");
                var b = TestCert.Make("CN=B", a, ca: true);
                var aByB = TestCert.Make("CN=A", b, ca: true, key: a.Key);
                return new([TestCert.Root("CN=Elsewhere")], Leaf(a), [aByB, b], Server());
            case "too-deep":
                var chain = new List<TestCert>();
                var issuer = root;
                for (var i = 0; i < 12; i++) chain.Add(issuer = TestCert.Make($"CN=Level {i}", issuer, ca: true));
                return new([root], Leaf(issuer), chain.ToArray(), Server());
            default: throw new ArgumentException(name);
        }
    }

    [Theory]
    [InlineData("valid", FailureReason.None, -1)]
    [InlineData("valid-wildcard", FailureReason.None, -1)]
    [InlineData("client-ok", FailureReason.None, -1)]
    [InlineData("backtracking", FailureReason.None, -1)]
    [InlineData("backtracking-bad-signature", FailureReason.None, -1)]
    [InlineData("expired", FailureReason.Expired, 0)]
    [InlineData("not-yet-valid", FailureReason.NotYetValid, 0)]
    [InlineData("expired-intermediate", FailureReason.Expired, 1)]
    [InlineData("wrong-eku", FailureReason.WrongUsage, 0)]
    [InlineData("not-a-ca", FailureReason.NotACa, 1)]
    [InlineData("pathlen-exceeded", FailureReason.PathLengthExceeded, 2)]
    [InlineData("unknown-issuer", FailureReason.UnknownIssuer, 1)]
    [InlineData("missing-intermediate", FailureReason.UnknownIssuer, 0)]
    [InlineData("same-name-different-key", FailureReason.UnknownIssuer, 0)]
    [InlineData("host-mismatch", FailureReason.HostMismatch, 0)]
    [InlineData("ip-host", FailureReason.HostMismatch, 0)]
    [InlineData("cycle", FailureReason.UnknownIssuer, 2)]
    // 12 intermediates against the default 8: the 9th (depth 9) is one too many.
    [InlineData("too-deep", FailureReason.ChainTooDeep, 9)]
    public void Truth_table(string name, FailureReason expected, int depth)
    {
        var c = Build(name);
        var verifier = new ChainVerifier(c.Anchors.Select(a => a.Cert));
        var result = verifier.Verify(c.Leaf.Cert, c.Untrusted.Select(u => u.Cert).ToList(), c.Options);
        Assert.True((result.Failure?.Reason ?? FailureReason.None) == expected, $"{name}: {result.Failure}");
        if (expected == FailureReason.None)
        {
            Assert.Equal(c.Leaf.Cert.RawData, result.Chain[0].RawData);
            Assert.Contains(c.Anchors, a => a.Cert.RawData.AsSpan().SequenceEqual(result.Chain[^1].RawData));
        }
        else Assert.Equal(depth, result.Failure!.Depth);
    }

    [Fact]
    public void Messages_carry_the_facts()
    {
        var expired = Verify(Build("expired"));
        Assert.Contains("expired on 2024-12-31 00:00:00 UTC", expired.Failure!.Message);
        var host = Verify(Build("host-mismatch"));
        Assert.Contains("DNS:www.example.com", host.Failure!.Message);
        var unknown = Verify(Build("same-name-different-key"));
        Assert.Contains("a different key", unknown.Failure!.Message);
        var eku = Verify(Build("wrong-eku"));
        Assert.Contains("clientAuth", eku.Failure!.Message);
    }

    [Fact]
    public void Many_same_name_intermediates_end_in_bounded_time()
    {
        var root = TestCert.Root();
        var key = TestCert.Root("CN=Shared").Key;
        // 40 certificates of one CA name and key, each issued by the shared key itself: every one is a
        // candidate issuer of every other, and none reaches the root.
        var pile = Enumerable.Range(0, 40).Select(_ => TestCert.Make("CN=Shared", null, ca: true, key: key, signingKey: key, issuerName: "CN=Shared")).ToList();
        var leaf = TestCert.Make("CN=www.example.com", pile[0], dns: ["www.example.com"]);
        var clock = Stopwatch.StartNew();
        var result = new ChainVerifier([root.Cert]).Verify(leaf.Cert, pile.Select(p => p.Cert).ToList(), Server());
        Assert.False(result.IsValid);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Certificates_issued_by_mtls_verify()
    {
        var now = DateTimeOffset.UtcNow;
        using var ca = TestPki.Root(now: now);
        var server = TestPki.Issue(ca, "/CN=localhost", Certificates.CertificateProfile.Server, ["DNS:localhost", "IP:127.0.0.1"], now);
        var client = TestPki.Issue(ca, "/CN=Super Client", Certificates.CertificateProfile.Client, null, now);
        var verifier = new ChainVerifier([ca.Certificate]);
        Assert.True(verifier.Verify(server, null, new VerifyOptions { Purpose = Purpose.Server, Host = "localhost" }).IsValid);
        Assert.True(verifier.Verify(server, null, new VerifyOptions { Purpose = Purpose.Server, Host = "127.0.0.1" }).IsValid);
        var asClient = verifier.Verify(client, null, new VerifyOptions { Purpose = Purpose.Client });
        Assert.True(asClient.IsValid, asClient.Failure?.Message);
        Assert.Equal(FailureReason.WrongUsage, verifier.Verify(client, null, new VerifyOptions { Purpose = Purpose.Server }).Failure?.Reason);
    }

    [Fact]
    public void Revoked_by_a_crl()
    {
        var root = TestCert.Root();
        var leaf = TestCert.Make("CN=www.example.com", root, dns: ["www.example.com"]);
        var builder = new CertificateRevocationListBuilder();
        builder.AddEntry(leaf.Cert, TestCert.At.AddDays(-3), X509RevocationReason.KeyCompromise);
        using var signer = root.Cert.CopyWithPrivateKey(root.Key);
        var crl = builder.Build(signer, 1, TestCert.At.AddDays(7), System.Security.Cryptography.HashAlgorithmName.SHA256, thisUpdate: TestCert.At.AddDays(-1));
        var options = Server() with { Crls = [crl] };
        var result = new PathValidator([root.Cert]).Verify(leaf.Cert, null, options);
        Assert.Equal(FailureReason.Revoked, result.Failure?.Reason);
        Assert.Contains("keyCompromise", result.Failure!.Message);
        var later = new PathValidator([root.Cert]).Verify(leaf.Cert, null, options with { At = TestCert.At.AddDays(8) });
        Assert.Equal(FailureReason.CrlProblem, later.Failure?.Reason);
    }

    private static VerifyResult Verify(Case c) =>
        new ChainVerifier(c.Anchors.Select(a => a.Cert)).Verify(c.Leaf.Cert, c.Untrusted.Select(u => u.Cert).ToList(), c.Options);
}
