namespace Mtls.Cli.Tests.Postgres;

/// <summary>A CA made with `mtls ca create` in a temporary folder, and its enrollment tokens made with `mtls ca token`.</summary>
public sealed class TestCa : IDisposable
{
    private readonly TempDir _dir = new();

    public TestCa(string subject = "CN=Nodes Test CA")
    {
        var created = Cli.Run("ca", "create", "--subject", subject, "--out", Cert, "--key-out", Key);
        Assert.True(created.ExitCode == 0, created.ToString());
    }

    public string Folder => _dir.Path;

    public string Cert => _dir["ca.crt"];

    public string Key => _dir["ca.key"];

    public string this[string name] => _dir[name];

    /// <summary>A fresh one-time token for localhost in <paramref name="db"/> (the last stdout line of `mtls ca token`).</summary>
    public string Token(string db)
    {
        var made = Cli.Run("ca", "token", "--ca-cert", Cert, "--db", db, "--san", "localhost");
        Assert.True(made.ExitCode == 0, made.ToString());
        return made.Stdout.TrimEnd().Split('\n')[^1];
    }

    public Task<CaNode> StartNodeAsync(string db, params string[] extra) => CaNode.StartAsync(Folder, Cert, Key, db, extra);

    public void Dispose() => _dir.Dispose();
}
