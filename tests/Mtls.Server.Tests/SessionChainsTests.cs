using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;
using Mtls.Pki.Keys;
using Mtls.Pki.Names;
using Mtls.Pki.Trust;

namespace Mtls.Server.Tests;

/// <summary>
/// The chain remembered for a client issued by an intermediate CA: its resumed sessions (the leaf alone)
/// are judged on the intermediates it sent in its full handshake, and nothing else gets that help.
/// The real-peer proof (openssl s_client session files, curl) is ServeResumptionTests.
/// </summary>
public class SessionChainsTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly CertificateAuthority _root = TestPki.Root("/CN=Chain Root");
    private readonly CertificateAuthority _issuing;

    public SessionChainsTests() =>
        _issuing = _root.CreateIntermediate(DistinguishedName.Parse("/CN=Chain Issuing"), KeySpec.P256, 365, Now, 0).Intermediate;

    private ClientCertificateGate Gate(int cacheSize = 16) => new([_root.Certificate], new ServerLog(null, TimeProvider.System), cacheSize: cacheSize);

    private X509Certificate2 Client(string name) => TestPki.Issue(_issuing, $"/CN={name}", CertificateProfile.Client);

    [Theory]
    [InlineData(16)]
    [InlineData(0)] // no verdict cache: the chain is remembered all the same
    public void A_leaf_that_came_with_its_chain_is_judged_on_it_when_it_returns_alone(int cacheSize)
    {
        var gate = Gate(cacheSize);
        var client = Client("Returning");
        Assert.Equal(FailureReason.UnknownIssuer, gate.Check(client, null).Failure?.Reason); // never seen: no chain to go on

        Assert.True(gate.Check(client, [_issuing.Certificate]).IsValid);
        var resumed = gate.Check(client, null);
        Assert.True(resumed.IsValid, resumed.Failure?.Message);
        Assert.Equal(3, resumed.Chain.Count);
    }

    [Fact]
    public void Another_leaf_of_the_same_ca_is_not_helped_and_a_forged_chain_stays_refused_when_the_leaf_returns()
    {
        var gate = Gate();
        Assert.True(gate.Check(Client("First"), [_issuing.Certificate]).IsValid);
        Assert.Equal(FailureReason.UnknownIssuer, gate.Check(Client("Second"), null).Failure?.Reason);

        var impostorRoot = TestPki.Root("/CN=Chain Root");
        var impostor = impostorRoot.CreateIntermediate(DistinguishedName.Parse("/CN=Chain Issuing"), KeySpec.P256, 365, Now, 0).Intermediate;
        var forged = TestPki.Issue(impostor, "/CN=Forged", CertificateProfile.Client);
        Assert.False(gate.Check(forged, [impostor.Certificate]).IsValid);
        Assert.False(gate.Check(forged, null).IsValid);
    }

    [Fact]
    public void The_least_recently_used_leaf_makes_room()
    {
        var chains = new SessionChains(2);
        var (a, b, c) = (Client("A"), Client("B"), Client("C"));
        chains.Remember(a, [_issuing.Certificate]);
        chains.Remember(b, [_issuing.Certificate]);
        Assert.NotNull(chains.Find(a)); // A is now more recent than B
        chains.Remember(c, [_issuing.Certificate]);

        Assert.Equal(2, chains.Count);
        Assert.NotNull(chains.Find(a));
        Assert.Null(chains.Find(b));
        Assert.NotNull(chains.Find(c));
    }
}
