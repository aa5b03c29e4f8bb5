using VoxTile.Fuzz;

namespace VoxTile.Server.Tests;

/// <summary>
/// The fuzzing corpora replayed (tools/VoxTile.Fuzz/corpus: the seeds and every input a fuzzer found): each file goes
/// through each reader — WAV, .npy, checkpoint, plan, config — and either parses or is refused with one line.
/// </summary>
public sealed class ReaderCorpusTests
{
    private static string Corpus => BuiltCorpus.Value;

    // The repository's corpora (tools/VoxTile.Fuzz/corpus) with the checkpoint and .npy seeds written beside them: no
    // model or tensor file is tracked, so they are made here (CheckpointSeeds, NpySeeds), once per test run.
    private static readonly Lazy<string> BuiltCorpus = new(() =>
    {
        string? repo = null;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null && repo is null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "VoxTile.slnx"))) repo = Path.Combine(d.FullName, "tools", "VoxTile.Fuzz", "corpus");
        if (repo is null) throw new InvalidOperationException("the tests run outside the repository (no VoxTile.slnx above them)");
        var dir = Path.Combine(Path.GetTempPath(), $"voxtile-corpus-{Environment.ProcessId}");
        foreach (var file in Directory.EnumerateFiles(repo, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(dir, Path.GetRelativePath(repo, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to, overwrite: true);
        }
        CheckpointSeeds.Write(Path.Combine(dir, "checkpoint"));
        NpySeeds.Write(Path.Combine(dir, "npy"));
        return dir;
    });

    public static TheoryData<string> Harnesses() => [.. ReaderHarnesses.All.Select(h => h.Name)];

    [Theory]
    [MemberData(nameof(Harnesses))]
    public void EveryCorpusFileParsesOrIsRefusedInOneLine(string name)
    {
        var harness = ReaderHarnesses.Named(name)!;
        var files = Directory.EnumerateFiles(Corpus, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var own = Directory.EnumerateFiles(Path.Combine(Corpus, harness.Corpus)).ToList();
        Assert.True(own.Count >= 3, $"the {name} corpus holds {own.Count} files");
        var failures = new List<string>();
        int parsed = 0;
        foreach (var file in files)
        {
            try
            {
                if (harness.Check(File.ReadAllBytes(file)) > 0 && own.Contains(file)) parsed++;
            }
            catch (ReaderFinding f)
            {
                failures.Add($"{Path.GetRelativePath(Corpus, file)}: {f.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // The seeds are valid files of their kind (most of them): a reader that refused everything would pass the rule.
        Assert.True(parsed >= 2, $"only {parsed} of the {own.Count} {name} seeds parsed");
    }

    [Fact]
    public void AReaderThatBreaksTheRuleIsAFinding()
    {
        var multiLine = new ReaderHarness("t", "t", _ => throw new VoxTile.IR.VoxTileException("first\nsecond"));
        var other = new ReaderHarness("t", "t", _ => throw new IndexOutOfRangeException());
        var refusal = new ReaderHarness("t", "t", _ => throw new VoxTile.IR.VoxTileException("bad input"));
        Assert.Contains("not one line", Assert.Throws<ReaderFinding>(() => multiLine.Check([1])).Message);
        Assert.Contains("IndexOutOfRangeException", Assert.Throws<ReaderFinding>(() => other.Check([1])).Message);
        Assert.Equal(0, refusal.Check([1]));
    }

    [Fact]
    public void ThePlanHarnessReachesPastTheChecksum()
    {
        var seed = File.ReadAllBytes(Path.Combine(Corpus, "plan", "relu-n150.vtp"));
        var torn = (byte[])seed.Clone();
        torn[^1] ^= 0xFF;
        Assert.Throws<VoxTile.IR.VoxTileException>(() => Lowering.Plan.PlanFile.Read(torn, "torn"));
        Assert.Equal(1, ReaderHarnesses.Plan.Check(torn));
    }
}
