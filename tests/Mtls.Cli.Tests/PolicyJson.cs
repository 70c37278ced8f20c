using System.Text.Json.Serialization;

namespace Mtls.Cli.Tests;

[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
internal sealed partial class PolicyJson : JsonSerializerContext;
