using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;
using Mtls.Pki.Inventory;
using Mtls.Pki.Trust;

namespace Mtls.Ca.Tests.Acme;

/// <summary>Checks on what a real ACME client wrote: openssl verify, Pki's verifier, the inventory.</summary>
public static class IssuedFiles
{
    public static void RequireTool(string name) =>
        Assert.True(Tool.Exists(name), $"{name} is not installed: apt-get install {name} (the Acme tests need the real client)");

    /// <summary>
    /// The leaf (first certificate of <paramref name="leafPath"/>) verifies to the root with openssl, with
    /// `mtls verify` (the built program) and with Pki's verifier for serverAuth and <see cref="AcmeTestServer.Name"/>, names exactly that name, and is
    /// in the issuing CA's inventory. Returns its serial.
    /// </summary>
    public static string Check(AcmeTestServer server, string leafPath, string chainPath)
    {
        var openssl = Tool.Openssl("verify", "-CAfile", server.RootPath, "-untrusted", chainPath, "-purpose", "sslserver", leafPath);
        Assert.True(openssl.ExitCode == 0 && openssl.Stdout.Contains(": OK", StringComparison.Ordinal), openssl.ToString());

        var mtls = Tool.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "mtls.dll"), "verify", leafPath, "--cacert", server.RootPath,
            "--untrusted", chainPath, "--purpose", "server", "--host", AcmeTestServer.Name]);
        Assert.True(mtls.ExitCode == 0, "mtls verify: " + mtls);

        var all = CertificateFile.LoadAll(leafPath);
        var leaf = all[0];
        var chain = CertificateFile.LoadAll(chainPath);
        var result = new ChainVerifier([server.Root]).Verify(leaf, chain, new VerifyOptions { Purpose = Purpose.Server, Host = AcmeTestServer.Name });
        Assert.True(result.IsValid, result.Failure?.ToString());
        Assert.Equal(server.Issuing.SubjectName.Name, leaf.IssuerName.Name);

        var san = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal([AcmeTestServer.Name], san.EnumerateDnsNames().ToArray());
        Assert.Empty(san.EnumerateIPAddresses());

        var serial = InventoryRecord.SerialOf(leaf);
        var record = server.Inventory.Find(serial);
        Assert.NotNull(record);
        Assert.Equal(CertificateProfile.Server.Name, record.Profile);
        return serial;
    }
}
