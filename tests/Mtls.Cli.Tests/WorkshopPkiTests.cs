namespace Mtls.Cli.Tests;

/// <summary>Issue 2's acceptance: the workshop's PKI done with mtls, judged by openssl; and the reverse.</summary>
public class WorkshopPkiTests
{
    internal const string Dn = "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=";

    private static void Ok(CliResult r) => Assert.True(r.ExitCode == 0, r.ToString());
    private static void Ok(ToolResult r) => Assert.True(r.ExitCode == 0, r.ToString());

    /// <summary>Both CAs and both leaves made with mtls, P-384 as in the seed.</summary>
    internal static void MakeWorkshopPki(TempDir d)
    {
        Ok(Cli.Run("ca", "create", "--subject", Dn + "ca.server.example.com", "--days", "365", "--out", d["server-ca.crt"], "--key-out", d["server-ca.key"]));
        Ok(Cli.Run("key", "create", "--curve", "P-384", "--out", d["server.key"]));
        Ok(Cli.Run("csr", "create", "--key", d["server.key"], "--subject", Dn + "localhost", "--out", d["server.csr"]));
        Ok(Cli.Run("ca", "sign", d["server.csr"], "--ca-cert", d["server-ca.crt"], "--ca-key", d["server-ca.key"], "--profile", "server", "--days", "365", "--out", d["server.crt"]));
        Ok(Cli.Run("ca", "create", "--subject", Dn + "ca.client.example.com", "--days", "365", "--out", d["client-ca.crt"], "--key-out", d["client-ca.key"]));
        Ok(Cli.Run("key", "create", "--curve", "P-384", "--out", d["client.key"]));
        Ok(Cli.Run("csr", "create", "--key", d["client.key"], "--subject", Dn + "Super Client", "--out", d["client.csr"]));
        Ok(Cli.Run("ca", "sign", d["client.csr"], "--ca-cert", d["client-ca.crt"], "--ca-key", d["client-ca.key"], "--profile", "client", "--days", "365", "--out", d["client.crt"]));
    }

    [Fact]
    public void Workshop_pki_made_by_mtls_passes_openssl()
    {
        using var d = new TempDir();
        MakeWorkshopPki(d);
        Ok(Tool.Openssl("verify", "-CAfile", d["server-ca.crt"], "-purpose", "sslserver", d["server.crt"]));
        Ok(Tool.Openssl("verify", "-CAfile", d["client-ca.crt"], "-purpose", "sslclient", d["client.crt"]));
        Ok(Tool.Openssl("verify", "-CAfile", d["server-ca.crt"], "-verify_hostname", "localhost", d["server.crt"]));
        // Purposes are enforced: the client certificate is no server certificate and vice versa.
        Assert.NotEqual(0, Tool.Openssl("verify", "-CAfile", d["client-ca.crt"], "-purpose", "sslserver", d["client.crt"]).ExitCode);
        Assert.NotEqual(0, Tool.Openssl("verify", "-CAfile", d["server-ca.crt"], "-purpose", "sslclient", d["server.crt"]).ExitCode);
        foreach (var csr in new[] { "server.csr", "client.csr" })
            Ok(Tool.Openssl("req", "-in", d[csr], "-verify", "-noout"));
        foreach (var key in new[] { "server.key", "client.key", "server-ca.key", "client-ca.key" })
        {
            var r = Tool.Openssl("pkey", "-in", d[key], "-noout", "-text");
            Ok(r);
            Assert.Contains("NIST CURVE: P-384", r.Stdout);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(d[key]));
        }
        var subject = Tool.Openssl("x509", "-in", d["client.crt"], "-noout", "-subject");
        Assert.Contains("C = JP, ST = Tokyo, L = Chuo, O = Kame, CN = Super Client", subject.Stdout);
        var text = Tool.Openssl("x509", "-in", d["server.crt"], "-noout", "-text").Stdout;
        Assert.Contains("DNS:localhost", text);
        Assert.Contains("TLS Web Server Authentication", text);
    }

    [Fact]
    public void Workshop_pki_made_by_the_seeds_openssl_commands_is_read_and_signed_by_mtls()
    {
        using var d = new TempDir();
        // The seed's exact commands (cd's replaced by one folder).
        Ok(Tool.OpensslIn(d.Path, """
            openssl req -x509 -newkey ec:<(openssl ecparam -name secp384r1) -keyout server-ca.key -out server-ca.crt -days 365 -subj "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=ca.server.example.com" -nodes 2>/dev/null &&
            openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp384r1 -out server.key &&
            openssl req -new -key server.key -out server.csr -subj "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=localhost" &&
            openssl x509 -req -in server.csr -CA server-ca.crt -CAkey server-ca.key -CAcreateserial -out server.crt -days 365 2>/dev/null &&
            openssl req -x509 -newkey ec:<(openssl ecparam -name secp384r1) -keyout client-ca.key -out client-ca.crt -days 365 -subj "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=ca.client.example.com" -nodes 2>/dev/null &&
            openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp384r1 -out client.key &&
            openssl req -new -key client.key -out client.csr -subj "/C=JP/ST=Tokyo/L=Chuo/O=Kame/CN=Super Client" &&
            openssl x509 -req -in client.csr -CA client-ca.crt -CAkey client-ca.key -CAcreateserial -out client.crt -days 365 2>/dev/null
            """));

        foreach (var csr in new[] { "server.csr", "client.csr" })
        {
            var show = Cli.Run("csr", "show", d[csr]);
            Ok(show);
            Assert.Contains("EC P-384", show.Stdout);
            Assert.Contains("valid", show.Stdout);
        }
        var cert = Cli.Run("cert", "show", d["server.crt"]);
        Ok(cert);
        Assert.Contains("Subject:            CN=localhost,O=Kame,L=Chuo,ST=Tokyo,C=JP", cert.Stdout);
        Assert.Contains("v1 (no extensions", cert.Stdout);
        var ca = Cli.Run("cert", "show", d["client-ca.crt"], "--json");
        Ok(ca);
        Assert.Contains("\"isCa\": true", ca.Stdout);

        // mtls signs openssl's CSRs with openssl's CAs; openssl verifies the result.
        Ok(Cli.Run("ca", "sign", d["server.csr"], "--ca-cert", d["server-ca.crt"], "--ca-key", d["server-ca.key"], "--profile", "server", "--out", d["server-mtls.crt"]));
        Ok(Cli.Run("ca", "sign", d["client.csr"], "--ca-cert", d["client-ca.crt"], "--ca-key", d["client-ca.key"], "--profile", "client", "--out", d["client-mtls.crt"]));
        Ok(Tool.Openssl("verify", "-CAfile", d["server-ca.crt"], "-purpose", "sslserver", "-verify_hostname", "localhost", d["server-mtls.crt"]));
        Ok(Tool.Openssl("verify", "-CAfile", d["client-ca.crt"], "-purpose", "sslclient", d["client-mtls.crt"]));
        // The same subject bytes as openssl's own certificate: names compare equal across tools.
        var ours = Tool.Openssl("x509", "-in", d["server-mtls.crt"], "-noout", "-subject", "-issuer", "-nameopt", "RFC2253").Stdout;
        var theirs = Tool.Openssl("x509", "-in", d["server.crt"], "-noout", "-subject", "-issuer", "-nameopt", "RFC2253").Stdout;
        Assert.Equal(theirs, ours);
    }

    [Fact]
    public void Show_json_has_the_documented_fields()
    {
        using var d = new TempDir();
        MakeWorkshopPki(d);
        var r = Cli.Run("cert", "show", d["server.crt"], "--json");
        Ok(r);
        using var doc = System.Text.Json.JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        foreach (var field in new[] { "subject", "issuer", "serial", "notBefore", "notAfter", "expiresInDays", "keyType", "publicKeyPem",
                     "subjectAltNames", "keyUsage", "extendedKeyUsage", "basicConstraints", "sha256Fingerprint" })
            Assert.True(root.TryGetProperty(field, out _), field);
        Assert.Equal("EC P-384", root.GetProperty("keyType").GetString());
        Assert.Equal("DNS:localhost", root.GetProperty("subjectAltNames")[0].GetString());
        Assert.InRange(root.GetProperty("expiresInDays").GetInt32(), 364, 365);
        var fingerprint = Tool.Openssl("x509", "-in", d["server.crt"], "-noout", "-fingerprint", "-sha256").Stdout.Trim();
        Assert.EndsWith(root.GetProperty("sha256Fingerprint").GetString()!, fingerprint);

        var csr = Cli.Run("csr", "show", d["client.csr"], "--json");
        Ok(csr);
        Assert.Contains("\"subject\": \"CN=Super Client,O=Kame,L=Chuo,ST=Tokyo,C=JP\"", csr.Stdout);
    }

    [Fact]
    public void Encrypted_ca_key_with_password_file()
    {
        using var d = new TempDir();
        File.WriteAllText(d["pass"], "correct horse\n");
        Ok(Cli.Run("ca", "create", "--subject", "/CN=Team CA", "--out", d["ca.crt"], "--key-out", d["ca.key"], "--password-file", d["pass"]));
        Ok(Tool.Openssl("pkey", "-in", d["ca.key"], "-passin", "file:" + d["pass"], "-noout"));
        Ok(Cli.Run("key", "create", "--out", d["s.key"]));
        Ok(Cli.Run("csr", "create", "--key", d["s.key"], "--subject", "/CN=svc.internal", "--out", d["s.csr"]));
        var noPass = Cli.Run("ca", "sign", d["s.csr"], "--ca-cert", d["ca.crt"], "--ca-key", d["ca.key"], "--profile", "server", "--out", d["s.crt"]);
        Assert.Equal(2, noPass.ExitCode);
        Assert.Contains("--password-file", noPass.Stderr);
        Ok(Cli.Run("ca", "sign", d["s.csr"], "--ca-cert", d["ca.crt"], "--ca-key", d["ca.key"], "--password-file", d["pass"], "--profile", "server", "--out", d["s.crt"]));
        Ok(Tool.Openssl("verify", "-CAfile", d["ca.crt"], d["s.crt"]));
    }
}
