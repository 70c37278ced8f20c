namespace Mtls.Cli.Tests;

/// <summary>
/// Bad input: exit 2 (or 1 when well-formed but refused), one line on stderr naming the file, the
/// problem and what to do, no stack trace, no output written, nothing overwritten.
/// </summary>
public class BadInputTests : IClassFixture<BadInputTests.Pki>
{
    public sealed class Pki : IDisposable
    {
        public TempDir Dir { get; } = new();
        public Pki() => WorkshopPkiTests.MakeWorkshopPki(Dir);
        public void Dispose() => Dir.Dispose();
    }

    private readonly TempDir _d;
    public BadInputTests(Pki pki) => _d = pki.Dir;

    private string Setup(string name, string content)
    {
        var path = _d[name];
        File.WriteAllText(path, content);
        return path;
    }

    public static TheoryData<string, int, string> Cases => new()
    {
        { "missing-file", 2, "no such file" },
        { "not-pem", 2, "is not PEM" },
        { "wrong-kind", 2, "holds a certificate, not a private key" },
        { "corrupt-base64", 2, "corrupt" },
        { "truncated-der", 2, "corrupt or truncated" },
        { "bad-csr-signature", 1, "signature does not verify" },
        { "ca-key-mismatch", 2, "does not belong to the CA certificate" },
        { "unknown-curve", 2, "unknown curve 'P-999'" },
        { "bad-country", 2, "not a two-letter country code" },
        { "unknown-attribute", 2, "unknown attribute 'XX'" },
        { "days-zero", 2, "--days 0" },
        { "output-exists", 2, "already exists" },
        { "missing-option", 2, "--out" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_bad_input_gets_one_clear_line_and_writes_nothing(string name, int exitCode, string expected)
    {
        var output = _d[$"{name}.out"];
        var existing = _d["server.crt"];
        var before = File.ReadAllText(existing);
        string[] args = name switch
        {
            "missing-file" => ["ca", "sign", _d["nope.csr"], "--ca-cert", _d["server-ca.crt"], "--ca-key", _d["server-ca.key"], "--profile", "server", "--out", output],
            "not-pem" => ["csr", "create", "--key", Setup("notpem.key", "hello world\n"), "--subject", "/CN=x", "--out", output],
            "wrong-kind" => ["csr", "create", "--key", _d["server.crt"], "--subject", "/CN=x", "--out", output],
            "corrupt-base64" => ["cert", "show", Setup("corrupt.crt", "-----BEGIN CERTIFICATE-----\nMIIB$$$$not base64\n-----END CERTIFICATE-----\n")],
            "truncated-der" => ["cert", "show", Truncated()],
            "bad-csr-signature" => ["ca", "sign", Tampered(), "--ca-cert", _d["server-ca.crt"], "--ca-key", _d["server-ca.key"], "--profile", "server", "--out", output],
            "ca-key-mismatch" => ["ca", "sign", _d["server.csr"], "--ca-cert", _d["server-ca.crt"], "--ca-key", _d["client-ca.key"], "--profile", "server", "--out", output],
            "unknown-curve" => ["key", "create", "--curve", "P-999", "--out", output],
            "bad-country" => ["csr", "create", "--key", _d["server.key"], "--subject", "/C=JAPAN/CN=x", "--out", output],
            "unknown-attribute" => ["csr", "create", "--key", _d["server.key"], "--subject", "/XX=1", "--out", output],
            "days-zero" => ["ca", "sign", _d["server.csr"], "--ca-cert", _d["server-ca.crt"], "--ca-key", _d["server-ca.key"], "--profile", "server", "--days", "0", "--out", output],
            "output-exists" => ["ca", "sign", _d["server.csr"], "--ca-cert", _d["server-ca.crt"], "--ca-key", _d["server-ca.key"], "--profile", "server", "--out", existing],
            "missing-option" => ["key", "create"],
            _ => throw new ArgumentException(name),
        };
        var r = Cli.Run(args);
        Assert.True(r.ExitCode == exitCode, r.ToString());
        Assert.Contains(expected, r.Stderr);
        Assert.StartsWith("mtls: error: ", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr); // no stack trace
        var errorLines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("mtls: error:")).ToList();
        Assert.Single(errorLines);
        Assert.False(File.Exists(output), "no output file may be written");
        Assert.Equal(before, File.ReadAllText(existing));
        Assert.Empty(Directory.GetFiles(_d.Path, "*.tmp", SearchOption.AllDirectories).Concat(Directory.GetFiles(_d.Path, ".*")));
    }

    [Fact]
    public void Errors_name_the_file()
    {
        var r = Cli.Run("cert", "show", _d["server.key"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal($"mtls: error: {_d["server.key"]}: holds a private key, not a certificate; give the certificate file (e.g. server.crt).\n", r.Stderr);
    }

    [Fact]
    public void Force_overwrites_and_a_symlink_is_refused_without_it()
    {
        var target = _d["target.key"];
        File.WriteAllText(target, "precious");
        var link = _d["link.key"];
        if (!File.Exists(link)) File.CreateSymbolicLink(link, target);
        var refused = Cli.Run("key", "create", "--out", link);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("symbolic link", refused.Stderr);
        Assert.Equal("precious", File.ReadAllText(target));
        var forced = Cli.Run("key", "create", "--out", link, "--force");
        Assert.Equal(0, forced.ExitCode);
        Assert.Equal("precious", File.ReadAllText(target)); // the link was replaced, not written through
        Assert.Null(new FileInfo(link).LinkTarget);
    }

    private string Truncated()
    {
        var der = Convert.FromBase64String(string.Concat(File.ReadAllLines(_d["server.crt"]).Where(l => !l.StartsWith("-----"))));
        var path = _d["truncated.der"];
        File.WriteAllBytes(path, der[..(der.Length / 2)]);
        return path;
    }

    private string Tampered()
    {
        // Change one character of the subject inside the signed part: the signature no longer verifies.
        var r = Tool.Run("bash", ["-c", $"openssl req -in {_d["server.csr"]} -outform DER | sed 's/localhost/localhosu/' > {_d["tampered.der"]}"]);
        Assert.Equal(0, r.ExitCode);
        return _d["tampered.der"];
    }
}
