namespace Mtls.Client.Online;

/// <summary>
/// How long a renewal daemon waits before retrying a failed attempt: exponential from
/// <see cref="Initial"/>, capped at <see cref="Cap"/>, with "equal jitter" (half the step fixed, half
/// random) so that many clients failing together do not retry together. The cap follows the certificate's
/// lifetime (a twentieth of it, between 1 s and 5 min): a 60-second certificate must not sleep through
/// its own expiry while the CA is briefly away.
/// </summary>
public sealed record RenewalBackoff(TimeSpan Initial, TimeSpan Cap)
{
    public static readonly TimeSpan MaxCap = TimeSpan.FromMinutes(5);

    public static RenewalBackoff For(TimeSpan lifetime)
    {
        var cap = TimeSpan.FromTicks(Math.Clamp(lifetime.Ticks / 20, TimeSpan.TicksPerSecond, MaxCap.Ticks));
        return new RenewalBackoff(TimeSpan.FromSeconds(1) < cap ? TimeSpan.FromSeconds(1) : cap, cap);
    }

    /// <summary>The wait before retry number <paramref name="attempt"/> (1 for the first retry); <paramref name="random"/> in [0, 1).</summary>
    public TimeSpan Delay(int attempt, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponent = Math.Min(attempt - 1, 30);
        var step = Math.Min(Cap.Ticks, Initial.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)(step / 2 + step / 2 * Math.Clamp(random, 0, 1)));
    }
}
