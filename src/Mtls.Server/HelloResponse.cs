using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Mtls.Server;

/// <summary>What the server says about a request; also the JSON body (stable field names).</summary>
public sealed record HelloInfo(string Message, ClientInfo? Client, string TlsProtocol, string Cipher, string HttpProtocol, string Method, string Path);

/// <summary>The client certificate as the server saw it.</summary>
public sealed record ClientInfo(string Subject, string Issuer, string Serial, DateTimeOffset NotAfter);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(HelloInfo))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;

/// <summary>
/// The application handler: names the client and the TLS session, as text (default), JSON
/// (Accept: application/json) or a small HTML page (Accept: text/html), everything from the
/// certificate HTML-escaped.
/// </summary>
internal static class HelloResponse
{
    public static HelloInfo Describe(HttpContext context)
    {
        var tls = context.Features.Get<ITlsHandshakeFeature>();
        var cert = context.Connection.ClientCertificate;
        var client = cert is null ? null : ClientNames.Of(cert);
        var protocol = ProtocolName(tls?.Protocol);
        var cipher = tls?.NegotiatedCipherSuite?.ToString() ?? "unknown";
        var message = client is null ? "Hello! (no client certificate)" : $"Hello, {client.Subject}!";
        return new HelloInfo(message, client, protocol, cipher, context.Request.Protocol, context.Request.Method, ServerLog.Printable(context.Request.Path.ToString()));
    }

    public static Task WriteAsync(HttpContext context)
    {
        var info = Describe(context);
        var accept = context.Request.Headers.Accept.ToString();
        var response = context.Response;
        if (accept.Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            response.ContentType = "application/json; charset=utf-8";
            return response.WriteAsync(JsonSerializer.Serialize(info, ServerJsonContext.Default.HelloInfo) + "\n", context.RequestAborted);
        }
        if (accept.Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            response.ContentType = "text/html; charset=utf-8";
            return response.WriteAsync(Html(info), context.RequestAborted);
        }
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(Text(info), context.RequestAborted);
    }

    public static string Text(HelloInfo info)
    {
        var text = $"{info.Message} {info.TlsProtocol}, {info.Cipher}, {info.HttpProtocol}\n";
        if (info.Client is { } c)
            text += $"Your certificate: issuer {c.Issuer}, serial {c.Serial}, valid until {c.NotAfter:yyyy-MM-dd HH:mm} UTC\n";
        return text;
    }

    private static string Html(HelloInfo info)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var client = info.Client is { } c
            ? $"<dl><dt>Subject</dt><dd>{E(c.Subject)}</dd><dt>Issuer</dt><dd>{E(c.Issuer)}</dd><dt>Serial</dt><dd>{E(c.Serial)}</dd><dt>Valid until</dt><dd>{c.NotAfter:yyyy-MM-dd HH:mm} UTC</dd></dl>"
            : "<p>No client certificate was asked for.</p>";
        return $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>mtls</title></head>
            <body><h1>{E(info.Message)}</h1>
            {client}
            <p>{E(info.TlsProtocol)}, {E(info.Cipher)}, {E(info.HttpProtocol)}</p>
            </body></html>

            """;
    }

    public static string ProtocolName(SslProtocols? protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLS 1.3",
        SslProtocols.Tls12 => "TLS 1.2",
        null => "unknown",
        var p => p.Value.ToString(),
    };
}
