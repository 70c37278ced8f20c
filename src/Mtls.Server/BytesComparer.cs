namespace Mtls.Server;

/// <summary>
/// Byte arrays compared by content: the keys of the server's certificate caches. Also looks up by span
/// (Dictionary.GetAlternateLookup), so a certificate's RawDataMemory finds its entry without a copy.
/// </summary>
internal sealed class BytesComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static readonly BytesComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] bytes) => GetHashCode(bytes.AsSpan());

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    // HashCode is seeded per process: a client cannot craft keys that collide in our tables.
    public int GetHashCode(ReadOnlySpan<byte> alternate)
    {
        var hash = new HashCode();
        hash.AddBytes(alternate);
        return hash.ToHashCode();
    }

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
}
