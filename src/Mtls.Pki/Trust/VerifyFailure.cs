using System.Globalization;
using Mtls.Pki.Text;

namespace Mtls.Pki.Trust;

/// <summary>
/// The first problem found, at which depth (0 = the leaf) and on which certificate, with the facts of its
/// sentence kept as data (<see cref="Text"/>): told in the current UI culture by <see cref="Message"/>, in
/// any other by <see cref="MessageIn"/>.
/// </summary>
public sealed record VerifyFailure(FailureReason Reason, int Depth, string Subject, Phrase Text)
{
    /// <summary>A failure whose sentence is the same in every language (a front end's own words).</summary>
    public VerifyFailure(FailureReason reason, int depth, string subject, string message)
        : this(reason, depth, subject, Phrase.Literal(message)) { }

    /// <summary>Set when the failure is a lapse refused only because <see cref="VerifyOptions.Strict"/> was asked for.</summary>
    public LapseKind? Lapse { get; init; }

    /// <summary>The message in the current UI culture.</summary>
    public string Message => Text.ToString();

    /// <summary>
    /// The message in <paramref name="culture"/> (English or Japanese, <see cref="Language"/>), for a
    /// reader whose language is not the process's (a browser's Accept-Language).
    /// </summary>
    public string MessageIn(CultureInfo culture) => Text.In(culture);

    /// <summary>No client certificate was sent (a server's refusal; nothing to validate).</summary>
    public static VerifyFailure NoClientCertificate { get; } = new(FailureReason.NoCertificate, 0, "", Phrase.Pki("Verify_NoClientCertificate"));
}
