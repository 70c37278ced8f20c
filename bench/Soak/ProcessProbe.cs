namespace Mtls.Soak;

/// <summary>The server's resident memory and open descriptors, read from /proc (Linux).</summary>
internal sealed class ProcessProbe(int pid)
{
    public readonly record struct Snapshot(double RssMb, int Fds);

    public bool Alive => Directory.Exists($"/proc/{pid}");

    public Snapshot Sample()
    {
        if (!Alive) return new Snapshot(double.NaN, -1);
        var rssKb = File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        return new Snapshot(rssKb / 1024.0, Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length);
    }
}

/// <summary>--name value pairs.</summary>
internal sealed class Args(Dictionary<string, string> values)
{
    public static Args Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
            values[args[i].TrimStart('-')] = args[i + 1];
        return new Args(values);
    }

    public string Get(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");

    public int Int(string name, int? fallback = null) =>
        values.TryGetValue(name, out var v) ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture)
        : fallback ?? throw new ArgumentException($"--{name} is required");
}
