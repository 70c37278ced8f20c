namespace Mtls.Client;

/// <summary>The outcome of <see cref="MtlsClient.GetAsync"/>: whatever was learnt, even on failure.</summary>
public sealed record GetResult(int? StatusCode, string Body, TlsInfo? Tls, ClientFailure? Failure)
{
    public bool Success => Failure is null && StatusCode is >= 200 and < 300;
}
