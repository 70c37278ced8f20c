using Mtls.Pki.Certificates;
using Mtls.TrustStore;

namespace Mtls.Cli.Tests;

/// <summary>`mtls trust`'s manners: names derived from the CA, errors that say what to do, list and check in
/// text and JSON, all against NSS databases in a temporary HOME (certutil, never a real user's store).</summary>
public sealed class TrustCliTests : IDisposable
{
    private readonly TempDir _dir = new();

    public TrustCliTests()
    {
        Directory.CreateDirectory(_dir["home"]);
        var ca = TestPki.Root("/O=Kame/CN=Trust CLI CA");
        TestPki.SaveCa(ca, _dir.Path, "ca");
        TestPki.Save(TestPki.Issue(ca, "/CN=Super Client", CertificateProfile.Client), _dir.Path, "client");
    }

    public void Dispose() => _dir.Dispose();

    private CliResult Trust(params string[] args) => TrustIn(null, args);

    private CliResult TrustIn(string? lang, params string[] args) =>
        Cli.RunIn(new Dictionary<string, string?> { ["HOME"] = _dir["home"], ["LANG"] = lang }, ["trust", .. args]);

    [Fact]
    public void Nss_install_check_list_and_uninstall_by_the_derived_nickname()
    {
        var ca = new TrustedCa(CertificateFile.Load(_dir["ca.crt"]));
        Assert.Matches("^mtls Trust CLI CA [0-9a-f]{8}$", ca.Nickname);

        var missing = Trust("install", _dir["ca.crt"], "--store", "nss");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("start the browser once, or pass --create", missing.Stderr);

        var install = Trust("install", _dir["ca.crt"], "--store", "nss", "--create");
        Assert.True(install.ExitCode == 0, install.ToString());
        var db = Path.Combine(_dir["home"], ".pki", "nssdb");
        Assert.Equal($"nss {db}: created an empty NSS database (cert9.db)\nnss {db}: added {ca.Nickname}\n"
            + $"CN=Trust CLI CA,O=Kame is now trusted by: nss. Undo: mtls trust uninstall {_dir["ca.crt"]}\n", install.Stdout);
        // certutil agrees: trusted for TLS servers ("C,,").
        Assert.Matches($@"{ca.Nickname}\s+C,,", Tool.Run("certutil", ["-L", "-d", "sql:" + db]).Stdout);
        Assert.Contains("is already there", Trust("install", _dir["ca.crt"], "--store", "nss").Stdout);

        var check = Trust("check", _dir["ca.crt"], "--store", "nss", "--json");
        Assert.Equal(0, check.ExitCode);
        Assert.Contains("\"trusted\": true", check.Stdout);
        var list = Trust("list", "--store", "nss", "--json");
        Assert.Contains($"\"name\": \"{ca.Nickname}\"", list.Stdout);
        Assert.Contains("\"isClientIdentity\": false", list.Stdout);

        var uninstall = Trust("uninstall", _dir["ca.crt"], "--store", "nss");
        Assert.Contains($"nss {db}: removed {ca.Nickname}", uninstall.Stdout);
        Assert.Contains("is not there (nothing to remove)", Trust("uninstall", _dir["ca.crt"], "--store", "nss").Stdout);
        Assert.Equal(1, Trust("check", _dir["ca.crt"], "--store", "nss").ExitCode);
        Assert.Contains("nothing installed by mtls", Trust("list", "--store", "nss").Stdout);
    }

    [Fact]
    public void Every_browser_database_is_found_and_create_adds_Chromium_s_beside_Firefox_s()
    {
        var firefox = Path.Combine(_dir["home"], ".mozilla", "firefox", "abcd1234.default-esr");
        Directory.CreateDirectory(firefox);
        Assert.Equal(0, Tool.Run("certutil", ["-N", "-d", "sql:" + firefox, "--empty-password"]).ExitCode);
        var chromium = Path.Combine(_dir["home"], ".pki", "nssdb");

        var onlyFirefox = Trust("install", _dir["ca.crt"], "--store", "nss");
        Assert.Contains($"nss {firefox}: added mtls Trust CLI CA ", onlyFirefox.Stdout);
        Assert.DoesNotContain(chromium, onlyFirefox.Stdout);

        var both = Trust("install", _dir["ca.crt"], "--store", "nss", "--create");
        Assert.Contains($"nss {chromium}: created an empty NSS database", both.Stdout);
        Assert.Contains($"nss {chromium}: added mtls Trust CLI CA ", both.Stdout);
        Assert.Contains($"nss {firefox}: mtls Trust CLI CA ", both.Stdout); // already there
        Assert.Equal(0, Trust("check", _dir["ca.crt"], "--store", "nss").ExitCode);
    }

    [Fact]
    public void A_client_identity_from_cert_and_key_goes_in_with_its_key_and_out_with_it()
    {
        Assert.Equal(0, Trust("install", _dir["ca.crt"], "--store", "nss", "--create").ExitCode);
        var install = Trust("install", "--cert", _dir["client.crt"], "--key", _dir["client.key"]);
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Contains("added mtls client Super Client ", install.Stdout);
        var db = "sql:" + Path.Combine(_dir["home"], ".pki", "nssdb");
        Assert.Matches(@"mtls client Super Client [0-9a-f]{8}\s+u,u,u", Tool.Run("certutil", ["-L", "-d", db]).Stdout);
        Assert.Contains("(client identity)", Trust("list").Stdout);

        // The undo line printed by install is the uninstall that works (it once said --client for a .crt).
        var undo = UndoLine(install);
        Assert.Equal($"mtls trust uninstall --cert {_dir["client.crt"]}", undo);
        Assert.Equal(0, RunUndo(undo).ExitCode);
        Assert.DoesNotContain("Super Client", Tool.Run("certutil", ["-L", "-d", db]).Stdout);
        var keys = Tool.Run("certutil", ["-K", "-d", db]);
        Assert.Contains("no keys found", keys.Stdout + keys.Stderr);
    }

    [Fact]
    public void A_client_identity_from_pkcs12_is_undone_by_the_printed_line_with_its_password_file()
    {
        File.WriteAllText(_dir["p12.pass"], "secret\n");
        Assert.Equal(0, Cli.Run("cert", "p12", "--cert", _dir["client.crt"], "--key", _dir["client.key"], "--out", _dir["client.p12"], "--password-file", _dir["p12.pass"]).ExitCode);
        var install = Trust("install", "--client", _dir["client.p12"], "--password-file", _dir["p12.pass"], "--create");
        Assert.True(install.ExitCode == 0, install.ToString());
        var undo = UndoLine(install);
        Assert.Equal($"mtls trust uninstall --client {_dir["client.p12"]} --password-file {_dir["p12.pass"]}", undo);

        var uninstall = RunUndo(undo);
        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.Contains("removed mtls client Super Client ", uninstall.Stdout);
        var db = "sql:" + Path.Combine(_dir["home"], ".pki", "nssdb");
        Assert.DoesNotContain("Super Client", Tool.Run("certutil", ["-L", "-d", db]).Stdout);
    }

    private static string UndoLine(CliResult install) =>
        install.Stdout.Split("Undo: ", 2) is [_, var rest] ? rest.TrimEnd() : throw new Xunit.Sdk.XunitException("no Undo: in " + install);

    /// <summary>Runs a printed "mtls trust uninstall ..." line as a user would paste it (the test paths have no spaces).</summary>
    private CliResult RunUndo(string line)
    {
        Assert.DoesNotContain('\'', line);
        Assert.StartsWith("mtls trust ", line, StringComparison.Ordinal);
        return Trust(line["mtls trust ".Length..].Split(' '));
    }

    [Theory]
    [InlineData(2, "unknown store 'browser' in --store", "install", "{ca}", "--store", "browser")]
    [InlineData(2, "is not a CA certificate", "install", "{client.crt}", "--store", "nss")]
    [InlineData(2, "--cert needs --key", "install", "--cert", "{client.crt}")]
    [InlineData(2, "a client identity goes into the browsers' NSS databases only", "install", "--cert", "{client.crt}", "--key", "{client.key}", "--store", "system")]
    [InlineData(2, "either a CA certificate or a client identity", "install", "{ca}", "--cert", "{client.crt}")]
    [InlineData(2, "give the CA certificate", "check")]
    public void Mistakes_get_one_line_that_says_what_to_do(int exit, string message, params string[] args)
    {
        var r = Trust([.. args.Select(a => a == "{ca}" ? _dir["ca.crt"] : a.StartsWith('{') ? _dir[a.Trim('{', '}')] : a)]);
        Assert.Equal(exit, r.ExitCode);
        Assert.StartsWith("mtls: error: ", r.Stderr);
        Assert.Contains(message, r.Stderr);
        Assert.Single(r.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Without_root_nothing_is_changed_and_the_stores_that_need_root_are_named()
    {
        // Run as nobody (setpriv drops root; a test run that is not root already is not).
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(_dir["home"], (UnixFileMode)0b111_111_111);
        string[] command = [Cli.Dll, "trust", "install", _dir["ca.crt"], "--store", "system"];
        var r = Privileges.IsRoot
            ? Tool.Run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", .. command], _dir.Path,
                environment: new Dictionary<string, string> { ["HOME"] = _dir["home"], ["DOTNET_CLI_HOME"] = _dir["home"] })
            : Tool.Run("dotnet", command, _dir.Path, environment: new Dictionary<string, string> { ["HOME"] = _dir["home"] });
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("mtls: error: these stores can only be changed by root: system (/usr/local/share/ca-certificates); "
            + "run the command again with sudo, or choose --store nss (nothing was changed)\n", r.Stderr);
        Assert.False(File.Exists($"/usr/local/share/ca-certificates/{new TrustedCa(CertificateFile.Load(_dir["ca.crt"])).FileStem}.crt"));
    }

    [Fact]
    public void A_wrong_pkcs12_password_is_told_with_the_flag_to_fix_it()
    {
        File.WriteAllText(_dir["right.pass"], "right\n");
        File.WriteAllText(_dir["wrong.pass"], "wrong\n");
        Assert.Equal(0, Cli.Run("cert", "p12", "--cert", _dir["client.crt"], "--key", _dir["client.key"], "--out", _dir["client.p12"], "--password-file", _dir["right.pass"]).ExitCode);
        var r = Trust("install", "--client", _dir["client.p12"], "--password-file", _dir["wrong.pass"], "--create");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("cannot read the PKCS#12 file", r.Stderr);
        Assert.Contains("--password-file", r.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir["home"], ".pki")), "nothing may be created before the identity is read");
    }

    [Fact]
    public void Errors_and_reports_speak_Japanese()
    {
        var r = TrustIn("ja_JP.UTF-8", "install", _dir["ca.crt"], "--store", "nss");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("mtls: エラー: ", r.Stderr);
        Assert.Contains("ブラウザーを一度起動するか", r.Stderr);
        var ok = TrustIn("ja_JP.UTF-8", "install", _dir["ca.crt"], "--store", "nss", "--create");
        Assert.Contains("を追加しました", ok.Stdout);
    }

    [Theory]
    [InlineData("Evil:CA\nroot", "mtls Evil_CA_root ", "mtls_Evil_CA_root_")]
    [InlineData("../../etc/passwd", "mtls ../../etc/passwd ", "mtls_etc_passwd_")]
    [InlineData("サーバー CA", "mtls サーバー CA ", "mtls_")]
    public void Derived_names_are_safe_for_certutil_and_for_file_names(string cn, string nicknameStart, string fileStart)
    {
        var builder = new System.Security.Cryptography.X509Certificates.X500DistinguishedNameBuilder();
        builder.AddCommonName(cn);
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(builder.Build(), key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var nickname = TrustNames.Nickname(TrustNames.NicknamePrefix, cert);
        var stem = TrustNames.FileStem(cert);
        Assert.StartsWith(nicknameStart, nickname);
        Assert.DoesNotContain(':', nickname);
        Assert.StartsWith(fileStart, stem);
        Assert.Matches("^[A-Za-z0-9._-]+$", stem);
        Assert.DoesNotContain("..", stem);
    }
}
