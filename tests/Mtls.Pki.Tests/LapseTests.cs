using Mtls.Pki.Trust;

namespace Mtls.Pki.Tests;

/// <summary>
/// Issue 13 item 2: a CA's lapse that openssl and Go accept (LapseKind) is accepted by default and listed on
/// the result; Strict refuses it with the lapse named. Only the accepted path's lapses are reported.
/// </summary>
public sealed class LapseTests
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    private static VerifyOptions Options(bool strict) => new() { At = TestCert.At, Purpose = Purpose.Server, Host = "www.example.com", Strict = strict };

    private static VerifyResult Verify(TestCert root, TestCert leaf, TestCert[] untrusted, bool strict) =>
        new ChainVerifier([root.Cert]).Verify(leaf.Cert, untrusted.Select(u => u.Cert).ToList(), Options(strict));

    private static TestCert Leaf(TestCert issuer, bool aki = true) =>
        TestCert.Make("CN=www.example.com", issuer, dns: ["www.example.com"], aki: aki);

    [Theory]
    [InlineData("leaf-without-aki", LapseKind.MissingAuthorityKeyId, 0, FailureReason.Malformed)]
    [InlineData("intermediate-without-ski", LapseKind.MissingSubjectKeyId, 1, FailureReason.Malformed)]
    [InlineData("root-with-server-eku", LapseKind.RootWithExtendedKeyUsage, 2, FailureReason.WrongUsage)]
    public void A_lapse_is_accepted_and_listed_by_default_and_refused_when_strict(string name, LapseKind kind, int depth, FailureReason strictReason)
    {
        var root = name == "root-with-server-eku" ? TestCert.Make("CN=Test Root", null, ca: true, eku: [ServerAuth]) : TestCert.Root();
        var ica = TestCert.Make("CN=Test Intermediate", root, ca: true, ski: name != "intermediate-without-ski");
        var leaf = Leaf(ica, aki: name != "leaf-without-aki");

        var lenient = Verify(root, leaf, [ica], strict: false);
        Assert.True(lenient.IsValid, lenient.Failure?.Message);
        var lapse = Assert.Single(lenient.Lapses);
        Assert.Equal((kind, depth), (lapse.Kind, lapse.Depth));

        var strict = Verify(root, leaf, [ica], strict: true);
        Assert.Equal((strictReason, depth, (LapseKind?)kind), (strict.Failure?.Reason, strict.Failure?.Depth, strict.Failure?.Lapse));
        Assert.Empty(strict.Lapses);
    }

    [Fact]
    public void A_root_extended_key_usage_still_limits_the_chain()
    {
        // Accepting a root with extendedKeyUsage is a lapse; ignoring what it says would not be.
        var root = TestCert.Make("CN=Test Root", null, ca: true, eku: [ClientAuth]);
        var result = Verify(root, Leaf(root), [], strict: false);
        Assert.Equal((FailureReason.WrongUsage, 1), (result.Failure?.Reason, result.Failure?.Depth));
        Assert.Contains("does not allow serverAuth", result.Failure!.Message);
    }

    [Fact]
    public void Lapses_of_an_abandoned_path_are_not_reported()
    {
        var root = TestCert.Root();
        var ica = TestCert.Make("CN=Test Intermediate", root, ca: true);
        // The same CA (name and key) also issued without SKI and for clientAuth only: the leaf has no AKI,
        // so it is tried first, in the order given; its path is checked to the end (noting the missing
        // SKI) and fails on the usage; the good one is tried next.
        var clientOnlyNoSki = TestCert.Make("CN=Test Intermediate", root, ca: true, key: ica.Key, ski: false, eku: [ClientAuth]);
        var result = Verify(root, Leaf(ica, aki: false), [clientOnlyNoSki, ica], strict: false);
        Assert.True(result.IsValid, result.Failure?.Message);
        Assert.Equal([(LapseKind.MissingAuthorityKeyId, 0)], result.Lapses.Select(l => (l.Kind, l.Depth)));
    }

    [Fact]
    public void A_clean_chain_has_no_lapses()
    {
        var root = TestCert.Root();
        var result = Verify(root, Leaf(root), [], strict: false);
        Assert.True(result.IsValid, result.Failure?.Message);
        Assert.Empty(result.Lapses);
    }
}
