namespace Mtls.Server;

/// <summary>
/// One event of the server, as typed facts: the text line and the JSON object are both rendered from
/// them. Client fields come from the client certificate (subject and issuer in RFC 4514 form with
/// control characters escaped, serial in hex); Reason is a stable <c>Mtls.Pki.Trust.FailureReason</c>
/// name for rejections; Path is the request's path made printable (<see cref="ServerLog.Printable"/>).
/// </summary>
public sealed record ServerLogEntry
{
    private string? _message;

    /// <summary>When it happened.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>What happened (stable id and name: <see cref="ServerEvents"/>).</summary>
    public required ServerEvent Event { get; init; }

    /// <summary>The kind it is shown as.</summary>
    public ServerLogKind Kind => ServerEvents.Kind(Event);

    /// <summary>
    /// The sentence, in the server's language. A request's is made from its fields only when asked for:
    /// `mtls serve` writes a request line straight from the fields, so the busiest path builds no string.
    /// </summary>
    public string Message
    {
        get => _message ??= RequestLine();
        init => _message = value; // null: made from the fields when read
    }

    /// <summary>The language of <see cref="Message"/> (the server's, MtlsServerOptions.Language).</summary>
    public System.Globalization.CultureInfo Language { get; init; } = Pki.Text.Language.English;

    /// <summary>The client's address (with its port when known).</summary>
    public string? Remote { get; init; }

    public string? Method { get; init; }

    public string? Path { get; init; }

    /// <summary>The HTTP status answered (requests, rejections, plain HTTP).</summary>
    public int? Status { get; init; }

    public string? ClientSubject { get; init; }

    public string? ClientIssuer { get; init; }

    public string? ClientSerial { get; init; }

    public string? Reason { get; init; }

    /// <summary>
    /// Detail rather than news: worth a line only when the operator asks for detail (mtls serve
    /// --verbose), e.g. a handshake a browser abandoned without a word. False for everything else.
    /// </summary>
    public bool Verbose { get; init; }

    /// <summary>"GET / 200 from 127.0.0.1:50412 client CN=...": the request line's words after the time and event.</summary>
    private string RequestLine() => ClientSubject is null
        ? ServerText.Format(nameof(Resources.Strings.Request_LineNoCertificate), Language, Method, Path, Status, Remote)
        : ServerText.Format(nameof(Resources.Strings.Request_Line), Language, Method, Path, Status, Remote, ClientSubject);
}
