namespace Mtls.Server.Proxy;

/// <summary>Whether the allow rules admit a client, and by which rule (for the log), worked out once per connection.</summary>
internal sealed record AllowVerdict(bool Allowed, string? Rule)
{
    public static readonly AllowVerdict Refused = new(false, null);
}
