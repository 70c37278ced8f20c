using System.Security.Cryptography;
using Mtls.Fuzzing;
using SharpFuzz;

// mtls-fuzz TARGET                   run TARGET under afl-fuzz (SharpFuzz forkserver; input on stdin or @@)
// mtls-fuzz --write-seeds DIR        write the seed corpora made at run time to DIR/TARGET/*.bin
// mtls-fuzz --replay TARGET FILE...  run FILEs through TARGET and print what each does (exit 1 on a finding)
// mtls-fuzz --list                   print the target names
return args switch
{
    ["--list"] => List(),
    ["--write-seeds", var dir] => WriteSeeds(dir),
    ["--replay", var target, .. var files] when FuzzTargets.All.ContainsKey(target) => Replay(target, files),
    [var target] when FuzzTargets.All.ContainsKey(target) => Fuzz(target),
    _ => Usage(),
};

static int Fuzz(string target)
{
    var reader = FuzzTargets.All[target];
    // Anything but MtlsException escapes FuzzTargets.Run, and SharpFuzz reports it to AFL as a crash.
    Fuzzer.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        FuzzTargets.Run(reader, buffer.ToArray());
    });
    return 0;
}

static int WriteSeeds(string dir)
{
    foreach (var (target, seeds) in Seeds.Make())
    {
        Directory.CreateDirectory(Path.Combine(dir, target));
        foreach (var seed in seeds)
            File.WriteAllBytes(Path.Combine(dir, target, Convert.ToHexStringLower(SHA256.HashData(seed))[..16] + ".bin"), seed);
    }
    return 0;
}

static int Replay(string target, string[] files)
{
    var findings = 0;
    foreach (var file in files)
    {
        try
        {
            FuzzTargets.Run(FuzzTargets.All[target], File.ReadAllBytes(file));
            Console.WriteLine($"{file}: ok (accepted, or refused with MtlsException)");
        }
        catch (Exception e)
        {
            findings++;
            Console.WriteLine($"{file}: FINDING {e}");
        }
    }
    return findings == 0 ? 0 : 1;
}

static int List()
{
    foreach (var target in FuzzTargets.All.Keys) Console.WriteLine(target);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine($"usage: mtls-fuzz TARGET | --write-seeds DIR | --replay TARGET FILE... | --list  (targets: {string.Join(", ", FuzzTargets.All.Keys)})");
    return 2;
}
