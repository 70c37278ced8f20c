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
        if (accept.Contains("application/json", StringComparison.OrdinalIgnoreCase))
            return WriteAsync(context, "application/json; charset=utf-8", JsonSerializer.Serialize(info, ServerJsonContext.Default.HelloInfo) + "\n");
        if (accept.Contains("text/html", StringComparison.OrdinalIgnoreCase))
            return WriteAsync(context, "text/html; charset=utf-8", Html(info));
        return WriteAsync(context, "text/plain; charset=utf-8", Text(info));
    }

    /// <summary>
    /// The whole body with its Content-Length: Kestrel then sends headers and body in one TLS record
    /// and one send. Without it the response is chunked, and the closing chunk is a second TLS record
    /// (and a second SSL_write and send) per request (callgrind, bench/RESULTS.md).
    /// </summary>
    public static Task WriteAsync(HttpContext context, string contentType, string body)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        context.Response.ContentType = contentType;
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
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
