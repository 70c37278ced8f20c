namespace Mtls.Ca.Acme;

/// <summary>A request refused with an ACME error document; the endpoints turn it into application/problem+json.</summary>
public sealed class AcmeException : Exception
{
    public AcmeException(AcmeProblem problem) : base(problem?.Detail)
    {
        ArgumentNullException.ThrowIfNull(problem);
        Problem = problem;
    }

    public AcmeException() : this(AcmeProblem.Of("serverInternal", 500, "internal error")) { }

    public AcmeException(string message) : this(AcmeProblem.Of("serverInternal", 500, message)) { }

    public AcmeException(string message, Exception inner) : base(message, inner) => Problem = AcmeProblem.Of("serverInternal", 500, message);

    public AcmeProblem Problem { get; }
}
