using VoxTile.Cli.Terminal;

namespace VoxTile.Cli.Tests;

/// <summary>
/// Progress on stderr: with stderr not a terminal (as here, and in CI logs) plain "voxtile: …" lines with no control
/// codes, counting chunks and compile stages; none with --quiet; never on stdout, which holds the result line only.
/// </summary>
public sealed class ProgressTests
{
    // A line per report, so that short runs show theirs.
    private static (int Code, string Out, string Err) RunWithEveryLine(params string[] args) => CliRun.RunWithProgress(TimeSpan.Zero, args);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void StderrThatIsNotATerminalGetsPlainLines()
    {
        Assert.True(Console.IsErrorRedirected, "the test host's stderr is a pipe");
        Assert.Equal(ProgressMode.Lines, Progress.Detect(quiet: false));
        Assert.Equal(ProgressMode.Off, Progress.Detect(quiet: true));
    }

    [Fact]
    public void ConvertCountsItsChunksInPlainLinesOnStderr()
    {
        using var tmp = new TempFolder();
        var (code, output, err) = RunWithEveryLine("convert", "--demo", "--demo-seconds", "1", "-o", tmp.File("out.wav"));
        Assert.True(code == 0, err);
        Assert.DoesNotContain('\u001b', err); // no cursor movement or colour in a log
        var progress = Lines(err).Where(l => l.StartsWith("voxtile: converting:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(progress);
        Assert.All(progress, l => Assert.Matches(@"^voxtile: converting: .+, \d+\.\d s$", l));
        Assert.Contains(progress, l => l.StartsWith("voxtile: converting: chunk 1 of 1 (100%)", StringComparison.Ordinal));
        // stdout: the result line, nothing else.
        var result = Assert.Single(Lines(output));
        Assert.StartsWith("wrote ", result);
    }

    [Fact]
    public void QuietPrintsTheResultLineOnly()
    {
        using var tmp = new TempFolder();
        var (code, output, err) = RunWithEveryLine("convert", "--demo", "--demo-seconds", "1", "--quiet", "-o", tmp.File("out.wav"));
        Assert.True(code == 0, err);
        Assert.Equal("", err);
        Assert.StartsWith("wrote ", Assert.Single(Lines(output)));
    }

    [Fact]
    public void QuietStillPrintsErrors()
    {
        var (code, _, err) = CliRun.Run("convert", "--demo", "-q", "-o", "/no/such/folder/out.wav");
        CliRun.AssertOneLineError(code, err, "/no/such/folder");
    }

    [Fact]
    public void CompileShowsItsStages()
    {
        using var tmp = new TempFolder();
        var (code, output, err) = RunWithEveryLine("compile", "--demo", "--part", "extract-se", "--seconds", "1", "-o", tmp.File("se.vtp"));
        Assert.True(code == 0, err);
        var stages = Lines(err).Where(l => l.StartsWith("voxtile: compiling: ", StringComparison.Ordinal)).ToList();
        Assert.Contains(stages, l => l.StartsWith("voxtile: compiling: stage 1 of 9, building the graph", StringComparison.Ordinal));
        Assert.Contains(stages, l => l.Contains("legalize-ttnn", StringComparison.Ordinal));
        Assert.Contains(stages, l => l.StartsWith("voxtile: compiling: stage 9 of 9, writing the plan", StringComparison.Ordinal));
        Assert.DoesNotContain("voxtile: compiling", output);
    }

    [Fact]
    public void EmitShowsItsStagesAndWritesResultsOnStdout()
    {
        using var tmp = new TempFolder();
        var (code, output, err) = RunWithEveryLine("emit", "--demo", "--part", "extract-se", "--seconds", "1", "-o", tmp.File("se.py"),
            "--inputs-npz", tmp.File("in.npz"), "--reference-npz", tmp.File("ref.npz"), "--reference-values", "outputs");
        Assert.True(code == 0, err);
        var stages = Lines(err).Where(l => l.StartsWith("voxtile: emitting: ", StringComparison.Ordinal)).ToList();
        Assert.Contains(stages, l => l.Contains("writing the program and its weights", StringComparison.Ordinal));
        Assert.Contains(stages, l => l.Contains("reference values 100%", StringComparison.Ordinal));
        Assert.All(Lines(output), l => Assert.StartsWith("wrote ", l));
    }
}
