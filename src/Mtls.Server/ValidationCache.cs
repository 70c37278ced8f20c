using System.Security.Cryptography.X509Certificates;
using Mtls.Pki.Trust;

namespace Mtls.Server;

/// <summary>
/// Verdicts of client certificates that passed path validation, so that a returning client costs no
/// second path validation (an ECDSA verify, certificate parsing): the profile showed it as a third of
/// the server's CPU per handshake (bench/RESULTS.md, "Where a handshake's time goes"). Keyed by the exact bytes the client sent (leaf
/// and intermediates), never by a hash alone, so a collision cannot borrow a verdict.
/// An entry lives until any certificate of its chain expires (or before it becomes valid, if the clock
/// goes back); refusals are never cached. Bounded: the least recently used entry makes room.
/// <see cref="Clear"/> drops everything when the trust inputs change (CAs, a CRL reload); a validation
/// that started before a clear does not put its verdict back afterwards. Thread-safe.
/// </summary>
internal sealed class ValidationCache
{
    private readonly int _capacity;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<byte[], LinkedListNode<Entry>> _entries = new(BytesComparer.Instance);
    private readonly LinkedList<Entry> _recent = new(); // most recently used first
    private long _generation;

    public ValidationCache(int capacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
        _time = time;
    }

    /// <summary>Entries held now (at most the capacity).</summary>
    public int Count { get { lock (_lock) return _entries.Count; } }

    /// <summary>Changes on every <see cref="Clear"/>; read it before validating, pass it to <see cref="Add"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>The key for what a client sent: its certificate, then the other certificates, length-prefixed.</summary>
    public static byte[] Key(X509Certificate2 leaf, IReadOnlyList<X509Certificate2>? sent)
    {
        var parts = new List<ReadOnlyMemory<byte>>(1 + (sent?.Count ?? 0)) { leaf.RawDataMemory };
        if (sent is not null) parts.AddRange(sent.Select(c => c.RawDataMemory));
        var key = new byte[parts.Sum(p => 4 + p.Length)];
        var at = 0;
        foreach (var part in parts)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(key.AsSpan(at), part.Length);
            part.Span.CopyTo(key.AsSpan(at + 4));
            at += 4 + part.Length;
        }
        return key;
    }

    public bool TryGet(byte[] key, out VerifyResult result)
    {
        var now = Now();
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                if (now >= node.Value.NotBefore && now <= node.Value.NotAfter)
                {
                    _recent.Remove(node);
                    _recent.AddFirst(node);
                    result = node.Value.Result;
                    return true;
                }
                _entries.Remove(key); // expired (or the clock went back): validate again, which refuses it
                _recent.Remove(node);
            }
        }
        result = null!;
        return false;
    }

    /// <summary>Keeps a successful verdict, unless the cache was cleared since <paramref name="generation"/>.</summary>
    public void Add(byte[] key, VerifyResult result, long generation)
    {
        if (!result.IsValid || result.Chain.Count == 0 || _capacity == 0) return;
        // The chain's certificates are loaded once here (LazyChain), not per handshake.
        var notBefore = result.Chain.Max(c => new DateTimeOffset(c.NotBefore.ToUniversalTime()));
        var notAfter = result.Chain.Min(c => new DateTimeOffset(c.NotAfter.ToUniversalTime()));
        lock (_lock)
        {
            if (generation != _generation || _entries.ContainsKey(key)) return;
            while (_entries.Count >= _capacity)
            {
                var oldest = _recent.Last!;
                _recent.RemoveLast();
                _entries.Remove(oldest.Value.Key);
            }
            _entries[key] = _recent.AddFirst(new Entry(key, result, notBefore, notAfter));
        }
    }

    /// <summary>Forgets every verdict (call when the CAs or CRLs change).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            Interlocked.Increment(ref _generation);
            _entries.Clear();
            _recent.Clear();
        }
    }

    // Certificate times have whole seconds and notAfter is inclusive, as in PathValidator.
    private DateTimeOffset Now()
    {
        var now = _time.GetUtcNow();
        return new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    private sealed record Entry(byte[] Key, VerifyResult Result, DateTimeOffset NotBefore, DateTimeOffset NotAfter);
}
