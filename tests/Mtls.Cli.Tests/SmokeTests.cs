namespace Mtls.Cli.Tests;

public class SmokeTests
{
    [Fact]
    public void Help_lists_the_commands()
    {
        var result = Cli.Run("--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("ca", result.Stdout);
        Assert.Contains("cert", result.Stdout);
    }
}
