using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Mtls.Server.Resources;

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
/// certificate HTML-escaped. A refused client's reason is given the same way (<see cref="WriteRefusalAsync"/>).
/// </summary>
internal static class HelloResponse
{
    private static HelloInfo Facts(HttpContext context, ConnectionFacts connection, CultureInfo language) =>
        Facts(connection, context.Request.Protocol, context.Request.Method, ServerLog.Printable(context.Request.Path.ToString()), language);

    private static HelloInfo Facts(ConnectionFacts connection, string httpProtocol, string method, string path, CultureInfo language) =>
        new(connection.Client is null ? Say(nameof(Strings.Hello_NoCertificate), language) : Say(nameof(Strings.Hello_Client), language, connection.Client.Subject),
            connection.Client, connection.TlsProtocol, connection.Cipher, httpProtocol, method, path);

    private static string Say(string key, CultureInfo language, params object?[] facts) => ServerText.Format(key, language, facts);

    /// <summary>
    /// The language of the answer: the request's Accept-Language, else the server's. Scripts and load
    /// tools send none, so the busiest path parses nothing.
    /// </summary>
    public static CultureInfo LanguageOf(HttpContext context, CultureInfo server)
    {
        var header = context.Request.Headers.AcceptLanguage;
        return header.Count == 0 ? server : Pki.Text.Language.FromAcceptLanguage(header.ToString(), server);
    }

    private enum Wanted { Text, Json, Html }

    /// <summary>What the client asked for: JSON for Accept: application/json, HTML for browsers (Accept: text/html), else text.</summary>
    private static Wanted Wants(HttpContext context)
    {
        var accept = context.Request.Headers.Accept;
        if (accept.Count == 0) return Wanted.Text;
        var types = accept.ToString();
        if (types.Contains("application/json", StringComparison.OrdinalIgnoreCase)) return Wanted.Json;
        return types.Contains("text/html", StringComparison.OrdinalIgnoreCase) ? Wanted.Html : Wanted.Text;
    }

    public static Task WriteAsync(HttpContext context, ConnectionFacts connection, CultureInfo serverLanguage)
    {
        var language = LanguageOf(context, serverLanguage);
        switch (Wants(context))
        {
            case Wanted.Json:
                return WriteAsync(context, "application/json; charset=utf-8", JsonSerializer.Serialize(Facts(context, connection, language), ServerJsonContext.Default.HelloInfo) + "\n");
            case Wanted.Html:
                return WriteAsync(context, "text/html; charset=utf-8", Html(Facts(context, connection, language), language));
        }
        // The text answer names nothing of the request but its HTTP version: the connection keeps it, encoded.
        var body = connection.TextBody(context.Request.Protocol, language, static (c, http, l) => Text(Facts(c, http, "", "", l), l));
        return WriteAsync(context, "text/plain; charset=utf-8", body);
    }

    /// <summary>
    /// The whole body with its Content-Length: Kestrel then sends headers and body in one TLS record
    /// and one send. Without it the response is chunked, and the closing chunk is a second TLS record
    /// (and a second SSL_write and send) per request (callgrind, bench/RESULTS.md "Notes on this session's server changes").
    /// </summary>
    private static Task WriteAsync(HttpContext context, string contentType, string body) =>
        WriteAsync(context, contentType, System.Text.Encoding.UTF8.GetBytes(body));

    private static Task WriteAsync(HttpContext context, string contentType, byte[] body)
    {
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    /// <summary>
    /// A refusal's one-line reason (<paramref name="status"/> and <paramref name="title"/> first, as in
    /// "403 Forbidden: ..."): an HTML page for browsers, with the reason escaped (it names the client's
    /// certificate), else the line as text. The status and its title stay HTTP's own words in every
    /// <paramref name="language"/>; the page says which language it is in.
    /// </summary>
    public static Task WriteRefusalAsync(HttpContext context, int status, string title, string reason, CultureInfo language)
    {
        if (Wants(context) != Wanted.Html)
            return WriteAsync(context, "text/plain; charset=utf-8", $"{status} {title}: {reason}\n");
        return WriteAsync(context, "text/html; charset=utf-8", BrowserPage.Document(language, $"{status} {title}", "refused",
            $"<h1>{status} {E(title)}</h1>\n<p>{E(reason)}</p>"));
    }

    public static string Text(HelloInfo info, CultureInfo language)
    {
        var text = $"{info.Message} {info.TlsProtocol}, {info.Cipher}, {info.HttpProtocol}\n";
        if (info.Client is { } c)
            text += Say(nameof(Strings.Hello_YourCertificate), language, c.Issuer, c.Serial, ServerLog.Minute(c.NotAfter)) + "\n";
        return text;
    }

    private static string E(string s) => BrowserPage.Encode(s);

    private static string Html(HelloInfo info, CultureInfo language)
    {
        var client = info.Client is { } c
            ? $"<dl><dt>{E(Say(nameof(Strings.Hello_Subject), language))}</dt><dd>{E(c.Subject)}</dd><dt>{E(Say(nameof(Strings.Hello_Issuer), language))}</dt><dd>{E(c.Issuer)}</dd>" +
              $"<dt>{E(Say(nameof(Strings.Hello_Serial), language))}</dt><dd class=\"mono\">{E(c.Serial)}</dd><dt>{E(Say(nameof(Strings.Hello_ValidUntil), language))}</dt><dd>{ServerLog.Minute(c.NotAfter)} UTC</dd></dl>"
            : $"<p>{E(Say(nameof(Strings.Hello_NotAskedFor), language))}</p>";
        return BrowserPage.Document(language, "mtls", info.Client is null ? "info" : "ok",
            $"<h1>{E(info.Message)}</h1>\n{client}\n<p class=\"tls\">{E(info.TlsProtocol)}, {E(info.Cipher)}, {E(info.HttpProtocol)}</p>");
    }
}
