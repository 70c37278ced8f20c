using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Inventory;
using Mtls.Pki.Online;

namespace Mtls.Cli.Tests.Postgres;

/// <summary>
/// Enrollments spread over CA nodes by concurrent clients, each using the next of a queue of tokens:
/// what every client received (a 201 with a certificate), what went wrong, and the checks the issue
/// asks for afterwards (no serial reused, every certificate a client received is in the inventory).
/// </summary>
public sealed class NodeLoad
{
    private readonly ConcurrentQueue<string> _tokens;

    public NodeLoad(IEnumerable<string> tokens) => _tokens = new ConcurrentQueue<string>(tokens);

    public ConcurrentBag<(CaNode Node, IssuedAnswer Answer)> Received { get; } = [];

    /// <summary>Answers other than 201, and failed requests to nodes that were not killed.</summary>
    public ConcurrentBag<string> Failures { get; } = [];

    /// <summary>Requests that failed because their node was killed (their clients received nothing).</summary>
    public int LostToKill;

    /// <summary>Nodes killed on purpose: their failed requests are expected.</summary>
    public ConcurrentDictionary<CaNode, bool> Killed { get; } = new();

    /// <summary>Runs <paramref name="workersPerNode"/> clients at each node until the tokens run out.</summary>
    public Task RunAsync(IReadOnlyList<CaNode> nodes, int workersPerNode, Action<CaNode>? afterEachSuccess = null) =>
        Task.WhenAll(nodes.SelectMany(node => Enumerable.Range(0, workersPerNode).Select(_ => Task.Run(() => WorkerAsync(node, afterEachSuccess)))));

    private async Task WorkerAsync(CaNode node, Action<CaNode>? afterEachSuccess)
    {
        while (_tokens.TryDequeue(out var token))
        {
            try
            {
                var (status, answer, body) = await node.EnrollAsync(token);
                if (status == HttpStatusCode.Created) { Received.Add((node, answer!)); afterEachSuccess?.Invoke(node); }
                else Failures.Add($"{node.Url}: {(int)status} {body}");
            }
            catch (HttpRequestException e)
            {
                if (Killed.ContainsKey(node)) { Interlocked.Increment(ref LostToKill); return; }
                Failures.Add($"{node.Url}: {e.Message}");
            }
        }
    }

    /// <summary>Every certificate a client received: serials all different, each in <paramref name="store"/> with its fingerprint.</summary>
    public void AssertAllRecordedOnce(ICaStore store)
    {
        var serials = Received.Select(r => r.Answer.Serial).ToList();
        Assert.Equal(serials.Count, serials.Distinct(StringComparer.Ordinal).Count());
        var recorded = store.List().ToDictionary(r => r.Serial, StringComparer.Ordinal);
        foreach (var (node, answer) in Received)
        {
            using var certificate = X509Certificate2.CreateFromPem(answer.Certificate);
            var serial = InventoryRecord.SerialOf(certificate);
            Assert.Equal(serial, answer.Serial);
            Assert.True(recorded.TryGetValue(serial, out var record), $"certificate {serial} from {node.Url} is not in the inventory");
            Assert.Equal(Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)), record!.Sha256Fingerprint);
        }
    }
}
