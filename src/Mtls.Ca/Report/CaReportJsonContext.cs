using System.Text.Json.Serialization;

namespace Mtls.Ca.Report;

/// <summary>Source-generated JSON for the summary (Native AOT has no reflection-based serializer).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(CaReportSummary))]
public sealed partial class CaReportJsonContext : JsonSerializerContext;
