using System.Text.RegularExpressions;

namespace VoxTile.Cli.Tests;

/// <summary>
/// The dump views a reader can follow: the HTML groups the ops by model module with folds, search and the L1 chart
/// linked to the op list; <c>--module</c> and <c>--range</c> cut every format to the same ops; a mistyped module is
/// one line naming real ones; dump shows progress on stderr like the other verbs.
/// </summary>
public sealed partial class DumpViewTests(CompileTests.CompiledDemo demo) : IClassFixture<CompileTests.CompiledDemo>
{
    [Fact]
    public void HtmlGroupsTheOpsByModuleWithSearchAndALinkedChart()
    {
        using var tmp = new TempFolder();
        var (code, _, err) = CliRun.Run("dump", demo.Path, "--format", "html", "-o", tmp.File("plan.html"));
        Assert.True(code == 0, err);
        var html = File.ReadAllText(tmp.File("plan.html"));
        // The converter's modules, in schedule order: the posterior encoder, the flow, the decoder.
        var tops = TopFolds().Matches(html).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Equal(["enc_q", "flow", "dec"], tops.Where(t => !t.StartsWith('(')).ToList());
        foreach (var unit in new[] { "enc_q.enc", "flow.flows.0", "dec.ups.0", "dec.resblocks.0", "dec.conv_post" })
            Assert.Contains($"data-module=\"{unit}\"><summary>{unit} ", html);
        Assert.Contains("<input id=\"search\"", html);
        // Every chart band opens a fold of the op list that exists.
        var bands = Regex.Matches(html, "<a href=\"#(run-\\d+)\" class=\"band\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(bands);
        Assert.All(bands, b => Assert.Contains($"id=\"{b}\"", html));
        // Colours match the summary: no host ops, so no row has the host op colour; conv weights have their own.
        Assert.Contains("host ops: 0", html);
        Assert.DoesNotContain("background:#f3d9a4\" title=", html);
        Assert.Contains("conv weight on the host", html);
        // The budget label sits inside the chart, right-aligned at its edge.
        var label = Regex.Match(html, "<text x=\"(\\d+)\" y=\"([\\d.]+)\" text-anchor=\"end\" fill=\"#c0392b\">budget");
        Assert.True(label.Success);
        Assert.True(double.Parse(label.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) >= 11, "the label's baseline leaves room for its glyphs");
        Assert.DoesNotContain("<script src", html);
        Assert.DoesNotContain("href=\"http", html);
    }

    [Fact]
    public void ModuleAndRangeCutEveryFormatToTheSameOps()
    {
        var (code, text, err) = CliRun.Run("dump", demo.Path, "--module", "dec.ups.0");
        Assert.True(code == 0, err);
        var head = Regex.Match(text, @"^// module dec\.ups\.0: (\d+) of ([\d,]+) ops");
        Assert.True(head.Success, text[..Math.Min(200, text.Length)]);
        int kept = int.Parse(head.Groups[1].Value), all = int.Parse(head.Groups[2].Value.Replace(",", ""));
        Assert.InRange(kept, 3, all / 10);
        Assert.Equal(kept, OpLines(text));
        Assert.Contains("dec.ups.0.bias", text);
        Assert.DoesNotContain("dec.ups.1.", text);

        var (code2, dot, err2) = CliRun.Run("dump", demo.Path, "--module", "dec.ups.0", "--format", "dot");
        Assert.True(code2 == 0, err2);
        Assert.Equal(kept, Regex.Matches(dot, @"\[label=""%\S+ = ttnn\.").Count);
        Assert.Contains("subgraph \"cluster_dec.ups.0\"", dot);
        Assert.Contains("computed outside this selection", dot); // the value the first conv reads comes from dec.conv_pre's stretch

        var (code3, html, err3) = CliRun.Run("dump", demo.Path, "--module", "dec.ups.0", "--format", "html");
        Assert.True(code3 == 0, err3);
        Assert.Contains($"module dec.ups.0: {kept} of {all:N0} ops", html);

        var (code4, range, err4) = CliRun.Run("dump", demo.Path, "--range", "100:150");
        Assert.True(code4 == 0, err4);
        Assert.StartsWith($"// ops 100:150: 50 of {all:N0} ops", range);
        Assert.Equal(50, OpLines(range));

        var (code5, both, err5) = CliRun.Run("dump", demo.Path, "--module", "dec", "--range", ":" + (all - 1));
        Assert.True(code5 == 0, err5);
        Assert.Matches(@"^// module dec, ops 0:\d+: \d+ of", both);
    }

    [Theory]
    [InlineData("--module dec.upz.0", "--module dec.upz.0: no such module in voice_conversion on wormhole_n150; did you mean dec.ups.0?")]
    [InlineData("--module vocoder", "modules include enc_q, flow, dec, enc_q.pre")]
    [InlineData("--range 100", "--range 100: expected A:B, A: or :B")]
    [InlineData("--range 9:3", "the end must be after the start")]
    [InlineData("--range 100000:", "has 890 ops, numbered 0 to 889")]
    public void ABadModuleOrRangeIsOneLine(string args, string fragment)
    {
        var (code, _, err) = CliRun.Run(["dump", demo.Path, .. args.Split(' ')]);
        CliRun.AssertOneLineError(code, err, fragment);
    }

    [Fact]
    public void DumpShowsItsStagesInPlainLines()
    {
        var (code, output, err) = CliRun.RunWithProgress(TimeSpan.Zero, "dump", "--demo", "--seconds", "1", "--stage", "ttnn", "--module", "enc_q.pre");
        Assert.True(code == 0, err);
        Assert.DoesNotContain('\u001b', err);
        var stages = err.Split('\n').Where(l => l.StartsWith("voxtile: dumping: ", StringComparison.Ordinal)).ToList();
        Assert.Contains(stages, l => l.StartsWith("voxtile: dumping: stage 1 of 5, building the graph", StringComparison.Ordinal));
        Assert.Contains(stages, l => l.StartsWith("voxtile: dumping: stage 4 of 5, legalize-ttnn", StringComparison.Ordinal));
        Assert.Contains(stages, l => l.StartsWith("voxtile: dumping: stage 5 of 5, rendering text", StringComparison.Ordinal));
        Assert.DoesNotContain("voxtile: dumping", output);
        Assert.StartsWith("// module enc_q.pre: ", output);
    }

    /// <summary>Op definitions in graph text (weights are values, not ops).</summary>
    private static int OpLines(string text) => Regex.Matches(text, @"(?m)^  %\S+ = ttnn\.").Count;

    [GeneratedRegex("<details class=\"top\" open><summary>(\\S+) ")]
    private static partial Regex TopFolds();
}
