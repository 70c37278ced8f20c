using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Mtls.Pki;

namespace Mtls.Ca.Acme;

/// <summary>
/// The ACME server (RFC 8555, RFC 8737) behind the endpoints <see cref="AcmeEndpoints.MapAcme"/> maps.
/// Every response carries a fresh Replay-Nonce and the directory link; every refusal is an RFC 8555 6.7
/// problem document. Split by resource: .Accounts, .Orders, .Authorizations.
/// </summary>
internal sealed partial class AcmeService
{
    public AcmeService(AcmeOptions options, IAcmeIssuer issuer, IAcmeStore store, TimeProvider time)
    {
        Options = options;
        Issuer = issuer;
        Store = store;
        Time = time;
        Errors = new AcmeErrors(options.Culture);
        Validator = new ChallengeValidator(options, Errors);
        Revoker = issuer as IAcmeRevoker;
    }

    /// <summary>The issuer's revocation, when it has one (the directory offers revokeCert only then).</summary>
    public IAcmeRevoker? Revoker { get; }

    public AcmeOptions Options { get; }
    public IAcmeIssuer Issuer { get; }
    public IAcmeStore Store { get; }
    public TimeProvider Time { get; }
    public AcmeErrors Errors { get; }
    public ChallengeValidator Validator { get; }

    public static string NewId() => JoseBase64.Encode(RandomNumberGenerator.GetBytes(16));

    public static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public AcmeContext ContextOf(HttpContext http) =>
        new(this, $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/acme/");

    public Task Directory(HttpContext http)
    {
        var acme = ContextOf(http);
        var directory = new DirectoryDocument(acme.Url("new-nonce"), acme.Url("new-account"), acme.Url("new-order"),
            Revoker is null ? null : acme.Url("revoke-cert"), acme.Url("key-change"), new DirectoryMeta(ExternalAccountRequired: false));
        return WriteJson(http, 200, directory, AcmeJsonContext.Default.DirectoryDocument);
    }

    /// <summary>RFC 8555 7.2: HEAD answers 200, GET 204, both with a nonce and no-store.</summary>
    public async Task NewNonce(HttpContext http)
    {
        var acme = ContextOf(http);
        http.Response.Headers["Replay-Nonce"] = await Store.NewNonceAsync(acme.Now, http.RequestAborted);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Link = $"<{acme.Url("directory")}>;rel=\"index\"";
        http.Response.StatusCode = HttpMethods.IsHead(http.Request.Method) ? 200 : 204;
    }

    /// <summary>Runs a signed POST: nonce and links first, the JWS verified, then <paramref name="handler"/>; refusals become problem documents.</summary>
    public async Task Post(HttpContext http, AcmeKeyRule rule, Func<AcmeContext, AcmeRequest, Task> handler)
    {
        var acme = ContextOf(http);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Link = $"<{acme.Url("directory")}>;rel=\"index\"";
        try
        {
            // Inside the try: the store is a database now, and a database that is down is still answered with a problem document.
            http.Response.Headers["Replay-Nonce"] = await Store.NewNonceAsync(acme.Now, http.RequestAborted);
            var body = await ReadBody(http);
            var url = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{http.Request.Path}";
            var request = await AcmeJws.ReadAsync(body, http.Request.ContentType, url, rule, acme, http.RequestAborted);
            using (request.Key)
                await handler(acme, request);
        }
        catch (AcmeException e)
        {
            await WriteProblem(http, e.Problem);
        }
        catch (Exception e) when (e is not OperationCanceledException && !http.Response.HasStarted)
        {
            // A fault of ours (the store, the CA): still an error document, with the cause for the operator.
            await WriteProblem(http, Errors.ServerInternal(nameof(Resources.Acme.Problem_Internal), e.GetType().Name, e.Message).Problem);
        }
    }

    private async Task<byte[]> ReadBody(HttpContext http)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > AcmeJws.MaxBody) throw Errors.Malformed(nameof(Resources.Acme.Problem_TooLarge), AcmeJws.MaxBody);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    public static async Task WriteProblem(HttpContext http, AcmeProblem problem)
    {
        var algorithms = problem.Type == AcmeProblem.Prefix + "badSignatureAlgorithm" ? AcmeJws.Algorithms : null;
        http.Response.StatusCode = problem.Status;
        http.Response.ContentType = "application/problem+json";
        await JsonSerializer.SerializeAsync(http.Response.Body, new ProblemDocument(problem.Type, problem.Detail, problem.Status, algorithms),
            AcmeJsonContext.Default.ProblemDocument, http.RequestAborted);
    }

    public static async Task WriteJson<T>(HttpContext http, int status, T document, JsonTypeInfo<T> type, string? location = null)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        if (location is not null) http.Response.Headers.Location = location;
        await JsonSerializer.SerializeAsync(http.Response.Body, document, type, http.RequestAborted);
    }

    /// <summary>A JSON payload as <typeparamref name="T"/>; anything else is malformed.</summary>
    public T Payload<T>(AcmeRequest request, JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(request.Payload, type) ?? throw Errors.Malformed(nameof(Resources.Acme.Problem_NotJson));
        }
        catch (JsonException)
        {
            throw Errors.Malformed(nameof(Resources.Acme.Problem_NotJson));
        }
    }

    public static ProblemDocument? Document(AcmeProblem? p) => p is null ? null : new(p.Type, p.Detail, p.Status);

    /// <summary>A Pki refusal of the CSR as badCSR; any other failure of the CA as serverInternal.</summary>
    public AcmeException FromIssuer(MtlsException e) => e.ExitCode == ExitCode.BadInput
        ? Errors.BadCsr(nameof(Resources.Acme.Problem_CsrRefused), e.Message)
        : Errors.ServerInternal(nameof(Resources.Acme.Problem_IssueFailed), e.Message);
}
