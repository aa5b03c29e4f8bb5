namespace VoxTile.Cli.Tests;

/// <summary><c>voxtile serve</c> refuses a bad command line with one line before it loads a model or opens a port.</summary>
public sealed class ServeTests
{
    [Theory]
    [InlineData(new[] { "serve" }, "give --tts MELO_DIR and --converter CONV_DIR, or --demo")]
    [InlineData(new[] { "serve", "--tts", "melo" }, "give --tts MELO_DIR and --converter CONV_DIR, or --demo")]
    [InlineData(new[] { "serve", "--demo", "--port", "70000" }, "--port")]
    [InlineData(new[] { "serve", "--demo", "--max-batch", "0" }, "--max-batch")]
    [InlineData(new[] { "serve", "--demo", "--request-timeout", "0" }, "--request-timeout")]
    [InlineData(new[] { "serve", "--demo", "--max-bach", "2" }, "did you mean --max-batch?")]
    public void BadCommandLinesAreOneLine(string[] args, string fragment)
    {
        var (code, _, err) = CliRun.Run(args);
        CliRun.AssertOneLineError(code, err, fragment);
    }
}
