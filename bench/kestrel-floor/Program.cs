// The platform floor for bench/mtls-serve.sh: Kestrel and SslStream as `mtls serve --client-ca` uses them
// (Native AOT, the server certificate context built once, a client certificate required and checked
// against the client CA only, HTTP/1.1 and HTTP/2), answering every request with a fixed text: no log
// line, no security headers, no gate, nothing per request but Kestrel's own work. What mtls serve costs
// beyond this is ours; what this costs beyond nginx is the platform's.
// Usage: kestrel-floor CERT KEY CLIENT_CA PORT
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: kestrel-floor CERT KEY CLIENT_CA PORT");
    return 2;
}
var certificate = X509Certificate2.CreateFromPemFile(args[0], args[1]);
var clientCa = X509Certificate2.CreateFromPem(File.ReadAllText(args[2]));
var context = SslStreamCertificateContext.Create(certificate, new X509Certificate2Collection(), offline: true);
var body = "Hello, client!\n"u8.ToArray();

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(IPAddress.Loopback, int.Parse(args[3]), listen =>
    {
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ =>
            {
                var policy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = X509RevocationMode.NoCheck,
                    DisableCertificateDownloads = true,
                };
                policy.CustomTrustStore.Add(clientCa);
                return ValueTask.FromResult(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = context,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                    ClientCertificateRequired = true,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    CertificateChainPolicy = policy,
                    RemoteCertificateValidationCallback = (_, cert, _, errors) => cert is not null && errors == SslPolicyErrors.None,
                });
            },
        });
    });
});
var app = builder.Build();
app.Run(context =>
{
    context.Response.ContentType = "text/plain; charset=utf-8";
    context.Response.ContentLength = body.Length;
    return context.Response.Body.WriteAsync(body).AsTask();
});
app.Run();
return 0;
