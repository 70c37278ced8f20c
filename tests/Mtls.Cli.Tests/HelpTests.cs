using System.CommandLine;
using System.CommandLine.Invocation;

namespace Mtls.Cli.Tests;

public class HelpTests
{
    private static IEnumerable<Command> Leaves(Command command) =>
        command.Subcommands.Count == 0 ? [command] : command.Subcommands.SelectMany(Leaves);

    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        var root = CliApp.BuildRoot(new CliContext { Out = TextWriter.Null, Err = TextWriter.Null });
        foreach (var leaf in Leaves(root))
            data.Add(CliApp.CommandPath(leaf));
        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_has_help_with_examples_that_parse(string path)
    {
        var help = Cli.Run([.. path.Split(' '), "--help"]);
        Assert.Equal(0, help.ExitCode);
        var examples = help.Stdout.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("mtls " + path)).ToList();
        Assert.True(examples.Count >= 2, $"'{path}' needs at least two examples:\n{help.Stdout}");
        var root = CliApp.BuildRoot(new CliContext { Out = TextWriter.Null, Err = TextWriter.Null });
        foreach (var example in examples)
        {
            var result = root.Parse(example["mtls ".Length..]);
            Assert.True(result.Errors.Count == 0, $"{example}: {string.Join("; ", result.Errors.Select(e => e.Message))}");
            Assert.IsNotType<ParseErrorAction>(result.Action);
        }
    }

    [Fact]
    public void Unknown_option_is_bad_usage_with_a_hint()
    {
        var r = Cli.Run("key", "create", "--out", "/tmp/x", "--colour");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("mtls: error:", r.Stderr);
        Assert.Contains("Try 'mtls key create --help'", r.Stderr);
    }

    [Fact]
    public void The_built_program_runs_like_a_user_runs_it()
    {
        using var d = new TempDir();
        var ok = Cli.Process(d.Path, "key", "create", "--out", "k.pem");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("Wrote EC P-256 private key to k.pem", ok.Stdout);
        var again = Cli.Process(d.Path, "key", "create", "--out", "k.pem");
        Assert.Equal(2, again.ExitCode);
        Assert.Equal("mtls: error: k.pem: already exists; refusing to overwrite it. Choose another --out or pass --force.\n", again.Stderr);
    }
}
