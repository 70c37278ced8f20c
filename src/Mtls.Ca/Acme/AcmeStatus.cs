namespace Mtls.Ca.Acme;

/// <summary>The status values of RFC 8555 7.1.6, spelled as they go on the wire.</summary>
public static class AcmeStatus
{
    public const string Pending = "pending";
    public const string Processing = "processing";
    public const string Ready = "ready";
    public const string Valid = "valid";
    public const string Invalid = "invalid";
    public const string Deactivated = "deactivated";
}
