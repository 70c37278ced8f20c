namespace Mtls.Ca.Acme;

/// <summary>
/// An error document of RFC 8555 6.7 (RFC 7807 problem details): <c>urn:ietf:params:acme:error:TYPE</c>,
/// a sentence for the operator, and the HTTP status it goes with.
/// </summary>
public sealed record AcmeProblem(string Type, string Detail, int Status)
{
    public const string Prefix = "urn:ietf:params:acme:error:";

    public static AcmeProblem Of(string type, int status, string detail) => new(Prefix + type, detail, status);
}
