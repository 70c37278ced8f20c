using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Mtls.Pki.Inspection;

namespace Mtls.Cli.Output;

/// <summary>Source-generated JSON (Native AOT has no reflection-based serializer).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CertificateDescription))]
[JsonSerializable(typeof(List<CertificateDescription>))]
[JsonSerializable(typeof(CsrDescription))]
[JsonSerializable(typeof(IssuedSummary))]
[JsonSerializable(typeof(List<IssuedSummary>))]
[JsonSerializable(typeof(List<InventoryEntry>))]
[JsonSerializable(typeof(RevocationSummary))]
[JsonSerializable(typeof(CrlSummary))]
[JsonSerializable(typeof(KeySummary))]
[JsonSerializable(typeof(List<Mtls.Cli.Workshop.WorkshopRow>))]
[JsonSerializable(typeof(VerifyReport))]
internal sealed partial class MtlsJsonContext : JsonSerializerContext;

internal sealed record KeySummary(string Path, string KeyType, bool Encrypted);

internal sealed record IssuedSummary(string Path, string Profile, IReadOnlyList<string> Notes, CertificateDescription Certificate);

/// <summary>`mtls verify --json`: the verdict, the first failure with its fix, the chain (leaf first), the CA lapses accepted.</summary>
internal sealed record VerifyReport(bool Valid, string? Reason, int? Depth, string? Subject, string? Message, string? Fix, IReadOnlyList<ChainEntry> Chain,
    IReadOnlyList<LapseEntry> Lapses);

/// <summary>A CA lapse on an accepted chain (Pki's LapseKind): accepted as openssl and Go accept it; --strict refuses it.</summary>
internal sealed record LapseEntry(string Kind, int Depth, string Subject, string Message);

internal sealed record ChainEntry(string Subject, string Issuer, DateTimeOffset NotBefore, DateTimeOffset NotAfter);

internal static class Json
{
    public static void Write<T>(TextWriter writer, T value, JsonTypeInfo<T> type) =>
        writer.WriteLine(JsonSerializer.Serialize(value, type));
}
