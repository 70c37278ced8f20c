using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;

namespace Mtls.Cli.Tests;

/// <summary>
/// The PKI of the `mtls serve` tests about hostile client identities, written into a folder: server.crt and
/// server.key (localhost) from server-ca.crt; client-ca.crt; good.crt and good.key (<c>CN=Super Client,O=Kame</c>);
/// and, when an evil common name is given, evil.crt and evil.key whose subject is
/// <c>O=&lt;script&gt;alert(1)&lt;/script&gt;, CN=</c> that name (newlines, escapes, bidi overrides: whatever the test needs).
/// </summary>
internal static class HostileServePki
{
    public const string HostileOrganization = "<script>alert(1)</script>";

    public static void Write(string dir, string? evilCommonName = null)
    {
        using var serverCa = TestPki.Root("/O=Kame/CN=ca.server.example.com");
        using var clientCa = TestPki.Root("/O=Kame/CN=ca.client.example.com");
        TestPki.Save(TestPki.Issue(serverCa, "/O=Kame/CN=localhost", CertificateProfile.Server, ["DNS:localhost"]), dir, "server");
        TestPki.SaveCa(serverCa, dir, "server-ca");
        TestPki.SaveCa(clientCa, dir, "client-ca");
        TestPki.Save(TestPki.Issue(clientCa, "/O=Kame/CN=Super Client", CertificateProfile.Client), dir, "good");
        if (evilCommonName is null) return;
        var name = new X500DistinguishedNameBuilder();
        name.AddOrganizationName(HostileOrganization);
        name.AddCommonName(evilCommonName);
        TestPki.Save(HostileCertificates.Client(clientCa, name.Build()), dir, "evil");
    }

    /// <summary>curl's arguments for a request to <paramref name="url"/> with the client certificate <paramref name="who"/> (good, evil).</summary>
    public static string[] Curl(string who, string url) =>
        ["-sS", "-o", "/dev/null", "--cacert", "server-ca.crt", "--cert", who + ".crt", "--key", who + ".key", url];

    /// <summary>`mtls serve` over this PKI, requiring client certificates, on a free loopback port.</summary>
    public static Task<ServeProcess> ServeAsync(string dir, IReadOnlyDictionary<string, string?>? env = null, params string[] extra) =>
        ServeProcess.StartAsync(dir, env, ["--cert", "server.crt", "--key", "server.key", "--client-ca", "client-ca.crt", "--port", "0", "--bind", "127.0.0.1", .. extra]);
}
