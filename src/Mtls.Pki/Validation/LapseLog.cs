using Mtls.Pki.Trust;

namespace Mtls.Pki.Validation;

/// <summary>
/// Where a lenient check (one naming a <see cref="LapseKind"/>) reports: under <see cref="VerifyOptions.Strict"/>
/// it is a failure like any other; otherwise it is noted and the path goes on. One log per path checked.
/// </summary>
internal sealed class LapseLog(bool strict)
{
    // Made on the first lapse: most logs (one per candidate tried) never see one.
    private List<VerifyLapse>? _found;

    public IReadOnlyList<VerifyLapse> Found => (IReadOnlyList<VerifyLapse>?)_found ?? [];

    /// <summary>The failure to return (strict), or null after noting the lapse.</summary>
    public VerifyFailure? Judge(LapseKind kind, VerifyFailure failure)
    {
        if (strict) return failure with { Lapse = kind };
        (_found ??= []).Add(new VerifyLapse(kind, failure.Depth, failure.Subject, failure.Text));
        return null;
    }
}
