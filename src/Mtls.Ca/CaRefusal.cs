using Mtls.Pki.Online;

namespace Mtls.Ca;

/// <summary>
/// A request the CA refuses: one problem type per abuse case (urn:mtls:error:NAME), an HTTP status and a
/// sentence that says what was wrong with the facts. Thrown by the policy checks, answered as
/// application/problem+json and recorded in the store by <see cref="Problems"/>.
/// </summary>
public sealed class CaRefusal(string name, int status, string detail, string? serial = null) : Exception(detail)
{
    /// <summary>The NAME of urn:mtls:error:NAME (token-used, names-not-allowed, ...).</summary>
    public string Name { get; } = name;

    public int Status { get; } = status;

    public string Detail { get; } = detail;

    /// <summary>The certificate the request was about, if any (recorded with the refusal).</summary>
    public string? Serial { get; } = serial;

    public string Type => Problem.TypePrefix + Name;
}
