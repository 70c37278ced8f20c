namespace Mtls.Cli.Tests;

/// <summary>
/// The short soak of issue 8 in every test run: bench/soak.sh for 20 s with 4 good and 4 bad clients
/// of every kind against `mtls serve --client-ca` (its own process). It passes only when every good
/// request is served, every bad client is refused, the server never restarts, and RSS and open
/// descriptors return to the baseline after the load (bench/soak.sh prints the limit it applies).
/// Work files and the result table go to a temporary folder, not to bench/.
/// </summary>
[Trait("Category", "Soak")]
public class ShortSoakTests
{
    [Fact]
    public void A_short_soak_serves_every_good_client_refuses_every_bad_one_and_returns_to_its_baseline()
    {
        using var dir = new TempDir();
        var result = Tool.Run("bash", ["bench/soak.sh", "20", "4", "4"], RepositoryRoot(), timeout: TimeSpan.FromMinutes(8),
            environment: new Dictionary<string, string> { ["SOAK_OUT"] = dir["soak"], ["SOAK_RESULTS"] = dir["results.md"] });

        Assert.True(result.ExitCode == 0, result.ToString());
        var table = File.ReadAllText(dir["results.md"]);
        Assert.Matches(@"\| 20 s \| [0-9]+ \| 0 \|", table);             // good requests, none failed
        Assert.Matches(@"\| [0-9]+ / 0 \|", table);                       // bad clients refused / not refused
        Assert.Contains("| PASS |", table);
    }

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "mtls.slnx"))) return d.FullName;
        throw new DirectoryNotFoundException("mtls.slnx not found above " + AppContext.BaseDirectory);
    }
}
