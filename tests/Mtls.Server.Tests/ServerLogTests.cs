namespace Mtls.Server.Tests;

/// <summary>Client-supplied text in log lines: printable text unchanged, control characters escaped, length capped.</summary>
public class ServerLogTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/caf\u00e9/\u65e5\u672c", "/caf\u00e9/\u65e5\u672c")]
    [InlineData("/a\nb", "/a\\x0Ab")]
    [InlineData("/\u001b[31m", "/\\x1B[31m")]
    [InlineData("/\u0085", "/\\x85")]
    [InlineData("/x\u2028y", "/x\\u2028y")]
    public void Printable_escapes_only_what_could_break_a_log_line(string input, string expected) =>
        Assert.Equal(expected, ServerLog.Printable(input));

    [Fact]
    public void Printable_caps_long_text_at_200_characters()
    {
        Assert.Equal(new string('a', 200), ServerLog.Printable(new string('a', 200)));
        Assert.Equal(new string('a', 200) + "...", ServerLog.Printable(new string('a', 201)));
    }
}
