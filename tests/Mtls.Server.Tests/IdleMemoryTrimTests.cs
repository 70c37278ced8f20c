namespace Mtls.Server.Tests;

/// <summary>
/// <see cref="IdleMemoryTrim"/> trims once per idle spell: never while connections or requests come in,
/// never twice without activity in between, never before anything happened.
/// </summary>
public class IdleMemoryTrimTests
{
    // The timer's own ticks are an hour away: the test drives Tick itself.
    private static IdleMemoryTrim Trim() => new(TimeSpan.FromHours(1), TimeProvider.System);

    [Fact]
    public void An_idle_server_that_never_served_is_not_trimmed()
    {
        using var trim = Trim();
        trim.Tick();
        trim.Tick();
        Assert.Equal(0, trim.Trims);
    }

    [Fact]
    public void Trims_after_a_whole_period_without_activity_and_only_once()
    {
        using var trim = Trim();
        trim.Touch();
        trim.Tick(); // activity in this period: busy
        Assert.Equal(0, trim.Trims);
        trim.Tick(); // a quiet period after activity: trim
        Assert.Equal(1, trim.Trims);
        trim.Tick(); // still quiet: nothing new to give back
        trim.Tick();
        Assert.Equal(1, trim.Trims);
    }

    [Fact]
    public void Never_trims_while_activity_continues()
    {
        using var trim = Trim();
        for (var i = 0; i < 5; i++)
        {
            trim.Touch();
            trim.Tick();
        }
        Assert.Equal(0, trim.Trims);
        trim.Tick();
        Assert.Equal(1, trim.Trims);
    }
}
