using System.Security.Cryptography.X509Certificates;

namespace Mtls.Server;

/// <summary>
/// The intermediates a client sent with its certificate in a full handshake, remembered by the
/// certificate's exact bytes, so that its resumed sessions are judged on the same chain. OpenSSL keeps
/// only the leaf in a session ticket (TLS 1.3, and TLS 1.2 as .NET sets it up): on resumption SslStream
/// hands the validation callback the leaf alone, and a client issued by an intermediate CA was refused
/// as "issued by a CA that is neither trusted nor supplied" on every return (issue 13, item 1).
/// Only chains that validated are remembered, and a remembered chain is validated again like one just
/// sent (signatures, CRLs, dates): intermediates are public certificates, so it does not matter who
/// sent them, only that they chain. A full handshake with the leaf alone therefore also finds them,
/// as browsers' intermediate caches do. Bounded: the least recently used leaf makes room; a leaf
/// forgotten while its session lives is refused on resumption and let in again on its next full
/// handshake. Thread-safe.
/// </summary>
internal sealed class SessionChains
{
    private readonly int _capacity;
    private readonly Lock _lock = new();
    private readonly Dictionary<byte[], LinkedListNode<Entry>> _entries = new(BytesComparer.Instance);
    private readonly LinkedList<Entry> _recent = new(); // most recently used first

    public SessionChains(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
    }

    /// <summary>Leaves remembered now (at most the capacity).</summary>
    public int Count { get { lock (_lock) return _entries.Count; } }

    /// <summary>Remembers what came with <paramref name="leaf"/> (call only after it validated).</summary>
    public void Remember(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> sent)
    {
        if (sent.Count == 0 || _capacity == 0) return;
        var key = leaf.RawData;
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recent.Remove(node);
                _entries.Remove(key);
            }
            while (_entries.Count >= _capacity)
            {
                var oldest = _recent.Last!;
                _recent.RemoveLast();
                _entries.Remove(oldest.Value.Leaf);
            }
            _entries[key] = _recent.AddFirst(new Entry(key, sent));
        }
    }

    /// <summary>The intermediates last sent with <paramref name="leaf"/>, or null.</summary>
    public IReadOnlyList<X509Certificate2>? Find(X509Certificate2 leaf)
    {
        lock (_lock)
        {
            if (!_entries.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(leaf.RawDataMemory.Span, out var node)) return null;
            _recent.Remove(node);
            _recent.AddFirst(node);
            return node.Value.Sent;
        }
    }

    private sealed record Entry(byte[] Leaf, IReadOnlyList<X509Certificate2> Sent);
}
