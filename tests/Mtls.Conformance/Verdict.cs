namespace Mtls.Conformance;

/// <summary>One verifier's answer for one case, in x509-limbo's vocabulary.</summary>
public sealed record Verdict(string Result, string? Context)
{
    public const string Success = "SUCCESS";
    public const string Failure = "FAILURE";
    public const string Skipped = "SKIPPED";

    public static Verdict Pass(string? context = null) => new(Success, context);
    public static Verdict Fail(string? context) => new(Failure, context);
    public static Verdict Skip(string context) => new(Skipped, context);
}

/// <summary>A verifier the harness can run every case through.</summary>
public interface IConformanceVerifier
{
    string Name { get; }
    Verdict Run(LimboCase testcase);
}
