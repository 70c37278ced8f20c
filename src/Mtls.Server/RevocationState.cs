using System.Security.Cryptography.X509Certificates;
using Mtls.Pki;
using Mtls.Pki.Names;
using Mtls.Pki.Revocation;

namespace Mtls.Server;

/// <summary>The CRLs in force, and a version that changes whenever they do (decisions made before are re-checked).</summary>
internal sealed record CrlSnapshot(IReadOnlyList<byte[]> Crls, int Version);

/// <summary>
/// Loads the configured CRL files, checks each against the client CA that issued it, and reloads them
/// when they change. A CRL that cannot be read at start-up stops the server (the operator asked for
/// revocation); one that breaks later is logged and the previous set stays in force.
/// </summary>
internal sealed class RevocationState
{
    private readonly MtlsServerOptions _options;
    private readonly ServerLog _log;
    private CrlSnapshot _current = new([], 0);

    private RevocationState(MtlsServerOptions options, ServerLog log)
    {
        _options = options;
        _log = log;
    }

    public CrlSnapshot Current => Volatile.Read(ref _current);

    public IReadOnlyList<string> Files => _options.CrlFiles;

    /// <summary>Loads every CRL; throws <see cref="MtlsException"/> when one cannot be used.</summary>
    public static RevocationState Load(MtlsServerOptions options, ServerLog log, DateTimeOffset now)
    {
        var state = new RevocationState(options, log);
        Volatile.Write(ref state._current, new CrlSnapshot(state.Read(now), 1));
        return state;
    }

    /// <summary>Re-reads the files after a change; keeps the previous CRLs when the new ones are unusable.</summary>
    public void Reload(DateTimeOffset now)
    {
        try
        {
            var crls = Read(now);
            var previous = Current;
            Volatile.Write(ref _current, new CrlSnapshot(crls, previous.Version + 1));
            _log.Write(ServerEvent.Reloaded, _log.Say(nameof(Resources.Strings.Reload_Crls), string.Join(", ", _options.CrlFiles), Summary(crls)));
        }
        catch (MtlsException e)
        {
            _log.Write(ServerEvent.ReloadFailed, _log.Say(nameof(Resources.Strings.Reload_CrlsFailed), e.Message));
        }
    }

    private List<byte[]> Read(DateTimeOffset now)
    {
        var result = new List<byte[]>();
        foreach (var path in _options.CrlFiles)
        {
            var crl = CrlFile.Load(path);
            var issuer = _options.ClientCas.FirstOrDefault(ca => ca.SubjectName.RawData.AsSpan().SequenceEqual(crl.Issuer.RawData));
            // A CRL of a trusted CA is checked now; one of an intermediate CA is checked against the
            // intermediate by the path validator, once a client presents a chain through it.
            if (issuer is not null && !crl.IsSignedBy(issuer))
                throw MtlsException.Refused(_log.Say(nameof(Resources.Strings.Crl_NotSignedByClientCa), path, DistinguishedName.Format(issuer.SubjectName)));
            if (crl.NextUpdate is { } next && next < now)
                _log.Write(ServerEvent.CrlStale, _log.Say(_options.AcceptStaleCrls ? nameof(Resources.Strings.CrlStale_Warn) : nameof(Resources.Strings.CrlStale_Refuse),
                    path, DistinguishedName.Format(crl.Issuer), ServerLog.Minute(next)));
            result.Add(crl.RawData);
        }
        return result;
    }

    private string Summary(List<byte[]> crls) =>
        string.Join("; ", crls.Select(der => CrlFile.Parse(der, "crl")).Select(c => _log.Say(nameof(Resources.Strings.Reload_CrlEntry), DistinguishedName.Format(c.Issuer), c.Entries.Count)));
}
