using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Mtls.Client.Resources;
using Mtls.Pki.Online;
using Mtls.Pki.Text;

namespace Mtls.Client.Online;

/// <summary>
/// A client of the online CA (`mtls ca serve`): enrollment with a one-time token, renewal over mTLS
/// with the current certificate. The CA is recognised through <see cref="CaTrust"/> only. Answers
/// become an <see cref="IssueResult"/>; nothing here throws for a refusal or an unreachable CA.
/// </summary>
public sealed class OnlineCaClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly CaTrust _trust;
    private readonly Uri _base;

    public OnlineCaClient(Uri caUrl, CaTrust trust, X509Certificate2? clientCertificate = null, IReadOnlyList<X509Certificate2>? clientChain = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(caUrl);
        ArgumentNullException.ThrowIfNull(trust);
        _trust = trust;
        _base = caUrl.AbsoluteUri.EndsWith('/') ? caUrl : new Uri(caUrl.AbsoluteUri + "/");
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = trust.CallbackFor(_base.IdnHost),
                ClientCertificateContext = clientCertificate is null ? null
                    : SslStreamCertificateContext.Create(clientCertificate, new X509Certificate2Collection((clientChain ?? []).ToArray()), offline: true),
            },
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
        _http = new HttpClient(handler) { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        // The CA says its refusals in the client's language (English unless the user's is Japanese).
        _http.DefaultRequestHeaders.AcceptLanguage.ParseAdd(Language.IsJapanese(System.Globalization.CultureInfo.CurrentUICulture) ? "ja" : "en");
    }

    public Task<IssueResult> EnrollAsync(string token, string csrPem, long? lifetimeSeconds, CancellationToken ct = default) =>
        PostAsync("v1/enroll", JsonContent.Create(new EnrollRequest(token, csrPem, lifetimeSeconds), OnlineJson.Default.EnrollRequest), ct);

    public Task<IssueResult> RenewAsync(string? csrPem, long? lifetimeSeconds, CancellationToken ct = default) =>
        PostAsync("v1/renew", JsonContent.Create(new RenewRequest(csrPem, lifetimeSeconds), OnlineJson.Default.RenewRequest), ct);

    private async Task<IssueResult> PostAsync(string path, HttpContent content, CancellationToken ct)
    {
        var url = new Uri(_base, path);
        try
        {
            await _trust.ResolveAsync(_base, ct);
            using var response = await _http.PostAsync(url, content, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if ((int)response.StatusCode == 201)
                return new IssueResult(JsonSerializer.Deserialize(body, OnlineJson.Default.IssuedAnswer), null, null);
            if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
                return new IssueResult(null, JsonSerializer.Deserialize(body, OnlineJson.Default.Problem), null);
            return new IssueResult(null, null, $"{url}: " + Language.Format(OnlineClient.Answer_Http, (int)response.StatusCode, response.ReasonPhrase));
        }
        catch (HttpRequestException e)
        {
            var cause = _trust.LastFailure is { } trust && e.InnerException is AuthenticationException ? trust : Innermost(e).Message;
            return new IssueResult(null, null, $"{url}: {cause.TrimEnd('.')}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new IssueResult(null, null, $"{url}: " + Language.Format(OnlineClient.Answer_NoTime, (int)_http.Timeout.TotalSeconds));
        }
        catch (JsonException e)
        {
            return new IssueResult(null, null, $"{url}: " + Language.Format(OnlineClient.Answer_NotJson, e.Message));
        }
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    public void Dispose() => _http.Dispose();
}
