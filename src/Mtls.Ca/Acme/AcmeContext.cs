namespace Mtls.Ca.Acme;

/// <summary>One request's view of the service: its URLs (built from the request's own origin), the store, the clock.</summary>
internal sealed class AcmeContext(AcmeService service, string baseUrl)
{
    public AcmeService Service { get; } = service;
    public IAcmeStore Store => Service.Store;
    public AcmeErrors Errors => Service.Errors;
    public DateTimeOffset Now => Service.Time.GetUtcNow();

    /// <summary>An absolute URL under /acme/, e.g. Url("acct/ID").</summary>
    public string Url(string path) => baseUrl + path;
}
