namespace Mtls.Pki.Tests.Fuzz;

/// <summary>
/// The regression corpus: every input that once crashed a reader (tests/corpus/TARGET/*.bin), fed to
/// every reader. Only MtlsException may escape.
/// </summary>
public class CorpusTests
{
    public static TheoryData<string> Files => [.. CorpusFiles()];

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_reader_refuses_a_corpus_input_with_MtlsException_only(string file)
    {
        var input = File.ReadAllBytes(Path.Combine(CorpusRoot(), file));
        foreach (var (target, reader) in FuzzTargets.All)
            Assert.True(MutationFuzzer.Exercise(reader, input) is null, $"{target} on {file}: {MutationFuzzer.Exercise(reader, input)}");
    }

    private static IEnumerable<string> CorpusFiles()
    {
        var root = CorpusRoot();
        return Directory.EnumerateFiles(root, "*.bin", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal);
    }

    private static string CorpusRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "tests", "corpus")))
                return Path.Combine(dir.FullName, "tests", "corpus");
        throw new DirectoryNotFoundException("tests/corpus not found above " + AppContext.BaseDirectory);
    }
}
