using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Inventory;

namespace Mtls.Ca.Tests;

/// <summary>The CA's own TLS certificate: issued by the CA, recorded in its inventory, renewed in place for new handshakes.</summary>
public class OwnCertificateTests
{
    private static async Task<X509Certificate2> ServedAsync(RunningCa ca)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", ca.App.Port);
        X509Certificate2? served = null;
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
        {
            served = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
            return true;
        });
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" });
        return served!;
    }

    [Fact]
    public async Task Its_certificate_chains_to_the_root_is_recorded_and_a_renewal_is_served_to_new_handshakes()
    {
        await using var ca = await RunningCa.StartAsync();
        using var first = await ServedAsync(ca);
        var firstSerial = InventoryRecord.SerialOf(first);
        Assert.Equal("server", ca.Store.Find(firstSerial)!.Profile);
        File.WriteAllText(ca.Dir["own.crt"], Pki.Certificates.CertificateFile.ToPem(first));
        File.WriteAllText(ca.Dir["issuing.crt"], Pki.Certificates.CertificateFile.ToPem(ca.Issuing.Certificate));
        var verify = Tool.Openssl("verify", "-CAfile", ca.RootPath, "-untrusted", ca.Dir["issuing.crt"], "-purpose", "sslserver", "-verify_hostname", "localhost", ca.Dir["own.crt"]);
        Assert.True(verify.ExitCode == 0, verify.ToString());

        ca.App.RenewTlsCertificateNow();
        using var second = await ServedAsync(ca);
        var secondSerial = InventoryRecord.SerialOf(second);
        Assert.NotEqual(firstSerial, secondSerial);
        Assert.Equal(secondSerial, ca.Store.Find(firstSerial)!.SupersededBy);
        using var client = ca.Client(); // clients keep working across the change
        Assert.NotNull((await client.EnrollAsync(ca.Token(), RunningCa.Csr().Csr, null)).Issued);
    }
}
