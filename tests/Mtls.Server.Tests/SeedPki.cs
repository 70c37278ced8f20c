using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Certificates;
using Mtls.Pki.Keys;

namespace Mtls.Server.Tests;

/// <summary>
/// The workshop's files made with the seed's exact openssl commands (seed/mtls-workshop.ja.md): v1
/// server and client certificates without SAN or EKU, signed by two openssl CAs.
/// </summary>
public sealed class SeedPki : IDisposable
{
    private const string Script = """
        set -e
        mkdir -p server-ca server client-ca client
        cd server-ca
        openssl req -x509 -newkey ec:<(openssl ecparam -name secp384r1) -keyout server-ca.key -out server-ca.crt -days 365 \
          -subj "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=ca.server.example.com" -nodes 2>/dev/null
        cd ../server
        openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp384r1 -out server.key
        openssl req -new -key server.key -out server.csr -subj "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=localhost"
        cd ../server-ca
        openssl x509 -req -in ../server/server.csr -CA server-ca.crt -CAkey server-ca.key -CAcreateserial -out ../server/server.crt -days 365 2>/dev/null
        cd ../client-ca
        openssl req -x509 -newkey ec:<(openssl ecparam -name secp384r1) -keyout client-ca.key -out client-ca.crt -days 365 \
          -subj "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=ca.client.example.com" -nodes 2>/dev/null
        cd ../client
        openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp384r1 -out client.key
        openssl req -new -key client.key -out client.csr -subj "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=Super Client"
        cd ../client-ca
        openssl x509 -req -in ../client/client.csr -CA client-ca.crt -CAkey client-ca.key -CAcreateserial -out ../client/client.crt -days 365 2>/dev/null
        """;

    public TempDir Dir { get; } = new();

    public SeedPki()
    {
        var result = Tool.Run("bash", ["-c", Script], Dir.Path);
        if (result.ExitCode != 0) throw new InvalidOperationException($"the seed's openssl commands failed: {result}");
    }

    public string this[string file] => Dir[file];

    public X509Certificate2 Server => WithKey("server/server.crt", "server/server.key");
    public X509Certificate2 Client => WithKey("client/client.crt", "client/client.key");
    public X509Certificate2 ClientCa => CertificateFile.Load(Dir["client-ca/client-ca.crt"]);
    public X509Certificate2 ServerCa => CertificateFile.Load(Dir["server-ca/server-ca.crt"]);

    private X509Certificate2 WithKey(string cert, string key) =>
        PemKeys.Attach(CertificateFile.Load(Dir[cert]), PrivateKeyFile.Load(Dir[key]));

    public void Dispose() => Dir.Dispose();
}

public static class PemKeys
{
    public static X509Certificate2 Attach(X509Certificate2 cert, System.Security.Cryptography.AsymmetricAlgorithm key) => key switch
    {
        System.Security.Cryptography.ECDsa ec => cert.CopyWithPrivateKey(ec),
        System.Security.Cryptography.RSA rsa => cert.CopyWithPrivateKey(rsa),
        _ => throw new NotSupportedException(),
    };
}
