namespace Mtls.Cli.Tests.AcmeStore;

/// <summary>A clock a test sets: what the ACME stores' order purge reads as now.</summary>
public sealed class StoreClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
