namespace Mtls.Server;

/// <summary>Byte arrays compared by content: the keys of the server's certificate caches.</summary>
internal sealed class BytesComparer : IEqualityComparer<byte[]>
{
    public static readonly BytesComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    // HashCode is seeded per process: a client cannot craft keys that collide in our tables.
    public int GetHashCode(byte[] bytes)
    {
        var hash = new HashCode();
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }
}
