using System.Diagnostics;

namespace Mtls.Pki.Tests.Fuzz;

/// <summary>A crash: the target threw something other than MtlsException.</summary>
public sealed record FuzzFinding(string Target, byte[] Input, string Exception);

/// <summary>
/// A small deterministic mutation fuzzer (fixed seed, bounded iterations and time): bit flips,
/// interesting bytes, ASN.1 length edits, insertions, deletions, duplications, truncations and
/// splices of the seeds. Fast and run on every `dotnet test`; the coverage-guided counterpart is the
/// SharpFuzz + AFL++ harness fuzz/Mtls.Fuzz (bench/fuzz-afl.sh). Both check FuzzTargets' contract.
/// </summary>
public sealed class MutationFuzzer(int seed)
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x02, 0x7F, 0x80, 0x81, 0x82, 0x83, 0x84, 0xFF, 0x30, 0x31, 0x04, 0x03, 0x0C, 0x13, 0x17, 0x18, 0xA0, 0xA3, (byte)'-', (byte)'=', (byte)'\n'];
    private readonly Random _random = new(seed);

    public long Executions { get; private set; }

    public List<FuzzFinding> Run(string target, Action<byte[]> reader, IReadOnlyList<byte[]> seeds, int iterations, TimeSpan budget)
    {
        var findings = new List<FuzzFinding>();
        var seen = new HashSet<string>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations && clock.Elapsed < budget; i++)
        {
            var input = Mutate(seeds[_random.Next(seeds.Count)], seeds);
            Executions++;
            if (Exercise(reader, input) is { } failure && seen.Add(failure.Split('\n')[0]))
                findings.Add(new FuzzFinding(target, input, failure));
        }
        return findings;
    }

    /// <summary>Null when the reader accepted the input or refused it with MtlsException; else the exception.</summary>
    public static string? Exercise(Action<byte[]> reader, byte[] input)
    {
        try { FuzzTargets.Run(reader, input); return null; }
        catch (Exception e) { return $"{e.GetType().FullName}: {e.Message}\n{e.StackTrace}"; }
    }

    private byte[] Mutate(byte[] seed, IReadOnlyList<byte[]> seeds)
    {
        var data = new List<byte>(seed);
        var rounds = 1 + _random.Next(4);
        for (var r = 0; r < rounds && data.Count > 0; r++)
        {
            var at = _random.Next(data.Count);
            switch (_random.Next(9))
            {
                case 0: data[at] ^= (byte)(1 << _random.Next(8)); break;
                case 1: data[at] = Interesting[_random.Next(Interesting.Length)]; break;
                case 2: data[at] = (byte)_random.Next(256); break;
                case 3: data.InsertRange(at, Bytes(1 + _random.Next(8))); break;
                case 4: data.RemoveRange(at, Math.Min(data.Count - at, 1 + _random.Next(16))); break;
                case 5: data.InsertRange(at, data.GetRange(at, Math.Min(data.Count - at, 1 + _random.Next(64)))); break;
                case 6: data.RemoveRange(at, data.Count - at); break; // truncate
                case 7: // length byte after a likely ASN.1 tag: long-form or off-by-some lengths
                    if (at + 1 < data.Count) data[at + 1] = _random.Next(3) switch { 0 => 0x84, 1 => 0x80, _ => (byte)(data[at + 1] + _random.Next(-2, 3)) };
                    break;
                default: // splice another seed's tail
                    var other = seeds[_random.Next(seeds.Count)];
                    var from = _random.Next(other.Length);
                    data.RemoveRange(at, data.Count - at);
                    data.AddRange(other.AsSpan(from).ToArray());
                    break;
            }
        }
        return [.. data];
    }

    private byte[] Bytes(int n)
    {
        var b = new byte[n];
        _random.NextBytes(b);
        return b;
    }
}
