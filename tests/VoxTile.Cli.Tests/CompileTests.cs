using VoxTile.IR.Text;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Targets;
using VoxTile.Runtime.Execution;

namespace VoxTile.Cli.Tests;

/// <summary>
/// <c>voxtile compile</c> and <c>voxtile dump</c>: a plan for the demo converter with its summary, every dump format
/// and stage, graph text that parses back, and one-line errors for bad input.
/// </summary>
public sealed class CompileTests(CompileTests.CompiledDemo demo) : IClassFixture<CompileTests.CompiledDemo>
{
    /// <summary>One compiled 1 s demo plan, shared by the tests of this class (compiling takes a second or two).</summary>
    public sealed class CompiledDemo : IDisposable
    {
        private readonly TempFolder _folder = new();

        public CompiledDemo()
        {
            Path = _folder.File("demo.vtp");
            var (code, o, e) = CliRun.Run("compile", "--demo", "--seconds", "1", "-o", Path);
            Assert.True(code == 0, e);
            Out = o;
        }

        public string Path { get; }
        public string Out { get; }

        public void Dispose() => _folder.Dispose();
    }

    private (string Path, string Out) Plan => (demo.Path, demo.Out);


    [Fact]
    public void CompileWritesAPlanAndPrintsItsSummary()
    {
        var (path, o) = Plan;
        var plan = PlanFile.Read(path);
        Assert.Equal("wormhole_n150", plan.Target);
        Assert.Equal(128, plan.Bucket["frames"]);
        Assert.Equal(0, plan.Summary.HostOps);
        // Every step of the demo converter binds to a native kernel of the CPU runtime.
        Assert.Empty(NativeCoverage.HostSteps(PlanLoader.Load(plan, TargetSpec.Parse(plan.Target), path)));
        Assert.All(plan.Steps.Where(s => !s.IsDeallocate), s => Assert.True(NativeCoverage.Symbols.ContainsKey(s.Op), $"{s.Op} has no native kernel"));
        Assert.True(plan.Summary.PeakL1BytesPerCore <= plan.Summary.L1BudgetPerCore);
        Assert.True(plan.Blob.Length > 60_000_000, "the released converter's weights, packed in bf16");
        foreach (var row in new[] { "ttnn.conv1d", "host ops", "peak L1 per core", "DRAM traffic", "modeled time", "roofline bound", "modeled latency traced / untraced",
            "cost on wormhole_n150", "latency: traced", "concurrent real-time streams of 1.00 s" })
            Assert.Contains(row, o);
        Assert.Contains("compiled in", o);
    }

    [Fact]
    public void WeightsAndTargetReachThePlan()
    {
        using var tmp = new TempFolder();
        var (code, o, e) = CliRun.Run("compile", "--demo", "--seconds", "1", "--target", "blackhole_p150", "--weights", "bfp8_b", "-o", tmp.File("bh.vtp"));
        Assert.True(code == 0, e);
        var plan = PlanFile.Read(tmp.File("bh.vtp"));
        Assert.Equal("blackhole_p150", plan.Target);
        Assert.Equal("bfp8_b", plan.Options["weights"]);
        // voice_conversion's weights are conv weights, which TTNN takes in bf16 on the host whatever --weights says.
        Assert.All(plan.Tensors.Where(t => t.Kind == PlanTensorKind.Weight && t.Type.EndsWith("{row_major}", StringComparison.Ordinal)),
            t => Assert.StartsWith("bf16", t.Type));
        Assert.Contains("blackhole_p150", o);
    }

    [Fact]
    public void PrintIrAfterPrintsTheGraphAfterThePass()
    {
        using var tmp = new TempFolder();
        var (code, o, e) = CliRun.Run("compile", "--demo", "--seconds", "1", "--print-ir-after", "legalize-ttnn", "-o", tmp.File("p.vtp"));
        Assert.True(code == 0, e);
        int at = o.IndexOf("// ---- after legalize-ttnn ----\n", StringComparison.Ordinal);
        Assert.True(at >= 0);
        var text = o[(at + "// ---- after legalize-ttnn ----\n".Length)..];
        Parser.Parse(text[..(text.IndexOf("\n}\n", StringComparison.Ordinal) + 3)]);
    }

    [Fact]
    public void DumpOfAPlanIsGraphTextThatParsesBack()
    {
        var (code, o, e) = CliRun.Run("dump", Plan.Path);
        Assert.True(code == 0, e);
        var g = Parser.Parse(o);
        Assert.Contains("ttnn.deallocate", o);
        Assert.Contains("{tile,l1", o);
        Assert.All(g.Nodes, n => Assert.NotNull(n.Type.Layout));
        var (code2, explained, e2) = CliRun.Run("dump", Plan.Path, "--explain");
        Assert.True(code2 == 0, e2);
        Assert.Equal(g.Nodes.Length, Parser.Parse(explained).Nodes.Length);
        Assert.Contains("// fits: L1", explained);
        Assert.Contains("graph output", explained);
    }

    [Theory]
    [InlineData("nn")]
    [InlineData("decomposed")]
    [InlineData("ttnn")]
    [InlineData("planned")]
    public void DumpOfEveryStageParsesBack(string stage)
    {
        var (code, o, e) = CliRun.Run("dump", "--demo", "--seconds", "1", "--stage", stage);
        Assert.True(code == 0, e);
        var g = Parser.Parse(o);
        Assert.NotEmpty(g.Nodes);
        if (stage is "ttnn" or "planned") Assert.DoesNotContain(g.Nodes, n => n.Op.Name.StartsWith("nn.", StringComparison.Ordinal));
        if (stage == "planned") Assert.All(g.Nodes, n => Assert.True(n.Type.Memory is not null || n.Op is IR.Ops.Graph.Weight));
    }

    [Fact]
    public void DotAndHtmlViews()
    {
        using var tmp = new TempFolder();
        var (code, dot, e) = CliRun.Run("dump", Plan.Path, "--format", "dot");
        Assert.True(code == 0, e);
        Assert.StartsWith("digraph", dot);
        Assert.Contains("->", dot);
        var (code2, o2, e2) = CliRun.Run("dump", Plan.Path, "--format", "html", "-o", tmp.File("plan.html"));
        Assert.True(code2 == 0, e2);
        Assert.Contains("wrote", o2);
        var html = File.ReadAllText(tmp.File("plan.html"));
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("L1 in use per core", html);
        Assert.Contains("<svg", html);
        Assert.DoesNotContain("<script src", html); // an inline script (search, folds), nothing fetched
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("href=\"http", html);
    }

    [Fact]
    public void AnUnknownTargetIsOneLine()
    {
        using var tmp = new TempFolder();
        var (code, _, err) = CliRun.Run("compile", "--demo", "--target", "wormhole_n999", "-o", tmp.File("p.vtp"));
        CliRun.AssertOneLineError(code, err, "unknown target 'wormhole_n999'");
        Assert.Empty(tmp.Entries());
    }

    [Fact]
    public void ACorruptedPlanIsOneLine()
    {
        using var tmp = new TempFolder();
        var bytes = File.ReadAllBytes(Plan.Path);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(tmp.File("bad.vtp"), bytes);
        var (code, _, err) = CliRun.Run("dump", tmp.File("bad.vtp"));
        CliRun.AssertOneLineError(code, err, "checksum mismatch");
        File.WriteAllText(tmp.File("text.vtp"), "not a plan");
        var (code2, _, err2) = CliRun.Run("dump", tmp.File("text.vtp"));
        CliRun.AssertOneLineError(code2, err2, "not a VoxTile device plan");
    }

    [Fact]
    public void TheEmbeddingPlanBindsEveryStepNatively()
    {
        using var tmp = new TempFolder();
        var (code, _, e) = CliRun.Run("compile", "--demo", "--part", "extract-se", "--seconds", "3", "-o", tmp.File("se.vtp"));
        Assert.True(code == 0, e);
        var plan = PlanFile.Read(tmp.File("se.vtp"));
        Assert.Empty(NativeCoverage.HostSteps(PlanLoader.Load(plan, TargetSpec.Parse(plan.Target), tmp.File("se.vtp"))));
        Assert.All(plan.Steps.Where(s => !s.IsDeallocate), s => Assert.True(NativeCoverage.Symbols.ContainsKey(s.Op), $"{s.Op} has no native kernel"));
    }

    /// <summary>Without legalization the nn ops stay: host steps, refused unless --allow-host.</summary>
    [Fact]
    public void APlanWithAHostStepIsRefusedUnlessAllowed()
    {
        using var tmp = new TempFolder();
        var (code, _, err) = CliRun.Run("compile", "--demo", "--seconds", "1", "--pipeline", "decompose,plan-memory", "-o", tmp.File("host.vtp"));
        CliRun.AssertOneLineError(code, err, "has no CPU kernel");
        Assert.Matches(@"(?m)^voxtile: error: plan step \d+ nn\.\w+ \(from %[^)]+\) has no CPU kernel \(the first of \d+ such steps\); pass --allow-host to run it on the host with its fp32 reference", err);
        Assert.Empty(tmp.Entries());
        var (allowed, o, e) = CliRun.Run("compile", "--demo", "--seconds", "1", "--pipeline", "decompose,plan-memory", "--allow-host", "-o", tmp.File("host.vtp"));
        Assert.True(allowed == 0, e);
        Assert.Contains("host steps", o);
        Assert.True(File.Exists(tmp.File("host.vtp")));
    }

    [Theory]
    [InlineData("compile --demo --weights fp4 -o {0}/p.vtp", "--weights must be bf16 or bfp8_b")]
    [InlineData("compile --demo --pipeline decompose,nonsense -o {0}/p.vtp", "unknown pass 'nonsense'")]
    [InlineData("compile --demo --pipeline decompose -o {0}/p.vtp", "does not end with plan-memory")]
    [InlineData("compile --demo --seconds 0 -o {0}/p.vtp", "--seconds must be")]
    [InlineData("dump --demo --stage ttnn --explain", "--explain needs the planned stage")]
    [InlineData("dump --demo --stage lowered", "unknown stage 'lowered'")]
    [InlineData("dump --demo --format svg", "--format must be text, dot or html")]
    [InlineData("dump {0}/missing.vtp", "cannot read plan")]
    public void BadArgumentsAreOneLine(string args, string fragment)
    {
        using var tmp = new TempFolder();
        var (code, _, err) = CliRun.RunTemplate(args, tmp.Path);
        CliRun.AssertOneLineError(code, err, fragment);
        Assert.Empty(tmp.Entries());
    }
}
