using System.Security.Cryptography;
using Mtls.Client;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;

namespace Mtls.Server.Tests;

/// <summary>
/// The server's certificate context is made from the chain given, without a chain build
/// (<see cref="CertificateContexts"/>): the intermediates must still reach the client, in order.
/// </summary>
public class CertificateContextTests(WorkshopPki pki) : IClassFixture<WorkshopPki>
{
    [Fact]
    public void On_Linux_the_context_is_made_without_a_chain_build_and_keeps_the_chain_as_given()
    {
        if (!OperatingSystem.IsLinux()) return;
        var context = CertificateContexts.TryWithoutChainBuild(pki.Server, [pki.ServerCa.Certificate], null);

        Assert.NotNull(context); // a .NET update changed the constructor: start-up reads /etc/ssl/certs again
        Assert.Same(pki.Server, context.TargetCertificate);
        Assert.Equal(pki.ServerCa.Certificate.RawData, Assert.Single(context.IntermediateCertificates).RawData);
    }

    [Fact]
    public async Task The_given_intermediate_is_sent_after_the_leaf_and_the_client_trusting_only_the_root_connects()
    {
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = CsrFile.Create(intermediateKey, Pki.Names.DistinguishedName.Parse("/O=Kame/CN=Kame Issuing CA"), []);
        var intermediateCert = pki.ServerCa.Issue(csr, CertificateProfile.IntermediateCa, 30, [], DateTimeOffset.UtcNow).Certificate;
        var intermediate = new CertificateAuthority(intermediateCert.CopyWithPrivateKey(intermediateKey), intermediateKey);
        var leaf = TestPki.Issue(intermediate, "/O=Kame/CN=localhost", CertificateProfile.Server, ["DNS:localhost"]);

        await using var server = await MtlsServer.StartAsync(new MtlsServerOptions
        {
            Certificate = leaf, Chain = [intermediateCert], ClientCas = [pki.ClientCa.Certificate], Port = 0, Bind = [System.Net.IPAddress.Loopback],
        });
        var result = await MtlsClient.GetAsync(new Uri($"https://localhost:{server.Port}/"),
            new MtlsClientOptions { TrustedCas = [pki.ServerCa.Certificate], ClientCertificate = pki.Client });

        Assert.True(result.Success, result.Failure?.Message);
        Assert.Equal(["CN=localhost,O=Kame", "CN=Kame Issuing CA,O=Kame"], result.Tls!.ServerChain.Select(c => c.Subject));
    }
}
