using System.IO.Compression;
using System.Text.Json;

namespace Mtls.Conformance;

/// <summary>A name the peer must have: kind DNS, IP or RFC822.</summary>
public sealed record PeerName(string Kind, string Value);

/// <summary>One x509-limbo testcase (only the fields a verifier needs).</summary>
public sealed record LimboCase(
    string Id,
    IReadOnlyList<string> Features,
    IReadOnlyList<string> ConflictsWith,
    string ValidationKind,
    IReadOnlyList<byte[]> Trusted,
    IReadOnlyList<byte[]> Untrusted,
    byte[] Peer,
    DateTimeOffset? ValidationTime,
    IReadOnlyList<string> ExtendedKeyUsage,
    IReadOnlyList<string> KeyUsage,
    PeerName? ExpectedPeerName,
    int? MaxChainDepth,
    IReadOnlyList<byte[]> Crls,
    string ExpectedResult)
{
    public string Namespace => Id[..Id.IndexOf("::", StringComparison.Ordinal)];

    /// <summary>Reads limbo.json.gz (or a plain limbo.json); PEM is decoded to DER once, here.</summary>
    public static IReadOnlyList<LimboCase> Load(string path)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var doc = JsonDocument.Parse(stream);
        var cases = new List<LimboCase>();
        foreach (var t in doc.RootElement.GetProperty("testcases").EnumerateArray())
        {
            var peerName = t.GetProperty("expected_peer_name");
            cases.Add(new LimboCase(
                t.GetProperty("id").GetString()!,
                Strings(t, "features"),
                Strings(t, "conflicts_with"),
                t.GetProperty("validation_kind").GetString()!,
                Strings(t, "trusted_certs").Select(Der).ToList(),
                Strings(t, "untrusted_intermediates").Select(Der).ToList(),
                Der(t.GetProperty("peer_certificate").GetString()!),
                t.GetProperty("validation_time").ValueKind == JsonValueKind.String
                    ? DateTimeOffset.Parse(t.GetProperty("validation_time").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
                    : null,
                Strings(t, "extended_key_usage"),
                Strings(t, "key_usage"),
                peerName.ValueKind == JsonValueKind.Object
                    ? new PeerName(peerName.GetProperty("kind").GetString()!, peerName.GetProperty("value").GetString()!)
                    : null,
                t.GetProperty("max_chain_depth").ValueKind == JsonValueKind.Number ? t.GetProperty("max_chain_depth").GetInt32() : null,
                Strings(t, "crls").Select(Der).ToList(),
                t.GetProperty("expected_result").GetString()!));
        }
        return cases;
    }

    private static List<string> Strings(JsonElement t, string name) =>
        t.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Select(e => e.GetString()!).ToList()
            : [];

    /// <summary>The DER inside one PEM block (certificate or CRL); the raw bytes when there is no PEM.</summary>
    private static byte[] Der(string pem)
    {
        var fields = System.Security.Cryptography.PemEncoding.Find(pem);
        return Convert.FromBase64String(pem[fields.Base64Data]);
    }
}
