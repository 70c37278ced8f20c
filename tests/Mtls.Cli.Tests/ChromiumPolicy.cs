namespace Mtls.Cli.Tests;

/// <summary>
/// A managed Chromium policy file (/etc/chromium/policies/managed/&lt;unique&gt;.json) that selects the client
/// certificate for one URL without the dialog; removed on dispose, so a failed test leaves nothing behind.
/// </summary>
public sealed class ChromiumPolicy : IDisposable
{
    private const string Folder = "/etc/chromium/policies/managed";

    public ChromiumPolicy(string url)
    {
        Directory.CreateDirectory(Folder);
        Path = System.IO.Path.Combine(Folder, $"mtls-test-{Guid.NewGuid():N}.json");
        var origin = new Uri(url).GetLeftPart(UriPartial.Authority);
        // The policy's value is a list of JSON strings, each itself JSON: {"pattern": ..., "filter": {}}.
        var rule = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { ["pattern"] = origin, ["filter"] = new Dictionary<string, string>() },
            PolicyJson.Default.DictionaryStringObject);
        File.WriteAllText(Path, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string[]> { ["AutoSelectCertificateForUrls"] = [rule] },
            PolicyJson.Default.DictionaryStringStringArray));
    }

    public string Path { get; }

    public void Dispose() => File.Delete(Path);
}
