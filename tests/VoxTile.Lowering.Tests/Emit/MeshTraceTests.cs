using System.Text.RegularExpressions;
using VoxTile.IR;
using VoxTile.Lowering.Emit;
using VoxTile.Lowering.Plan;
using Xunit.Abstractions;

namespace VoxTile.Lowering.Tests.Emit;

/// <summary>
/// Programs for one chip and for meshes, traced: the mesh is opened with the target's shape, weights replicated,
/// the batch sharded on dim 0 and gathered back; one warm-up run, one capture, replays per run. On fake_ttnn, which
/// runs every op chip by chip and enforces the trace rules, each program reproduces the reference per batch item;
/// programs that break a trace rule fail there as they would on a card.
/// </summary>
public sealed class MeshTraceTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("voxtile-mesh-trace-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(DevicePlan plan, string name)
    {
        var path = Path.Combine(_dir, name + ".py");
        PythonEmitter.Write(plan, path, new PythonEmitOptions { WeightsFile = name + ".weights.npz" });
        return path;
    }

    /// <summary>Writes the program, its inputs (distinct per item) and its reference, and runs it on fake_ttnn with --check.</summary>
    private (int Code, string Output) WriteAndRun(DevicePlan plan, string name, Func<string, string>? edit = null, params string[] extra)
    {
        var path = Write(plan, name);
        if (edit is not null) File.WriteAllText(path, edit(File.ReadAllText(path)));
        var slot = PlanInputs.Of(plan).Single();
        var inputs = PlanInputs.Complete(plan, new Dictionary<string, Tensor> { [slot.Name] = SamplePlans.Random(new Random(21), slot.Shape) }, seed: 3);
        Npz.Write(Path.Combine(_dir, "inputs.npz"), inputs);
        ReferenceNpz.Write(Path.Combine(_dir, "reference.npz"), plan, inputs);
        var result = PythonTool.RunOnFakeDevice(path, ["--inputs", "inputs.npz", "--check", "reference.npz", "--output", "out.npz", .. extra]);
        output.WriteLine(result.Output);
        return result;
    }

    [PythonTheory(numpy: true)]
    [InlineData("wormhole_n150", 1, 1, 1, 1)]
    [InlineData("wormhole_n150", 4, 1, 1, 4)]
    [InlineData("wormhole_n300", 4, 1, 2, 8)]
    [InlineData("wormhole_t3000", 1, 1, 8, 8)]
    public void TracedMeshProgramMatchesTheReferencePerItem(string target, int perChip, int rows, int cols, int items)
    {
        var plan = SamplePlans.Batched(target, perChip);
        var path = Write(plan, "batched_ttnn");
        var (code, text) = PythonTool.Compile(path);
        Assert.True(code == 0, text);
        (code, text) = PythonTool.Validate(path);
        Assert.True(code == 0, text);
        Assert.Contains("0 problems", text);

        var program = File.ReadAllText(path);
        Assert.Contains($"MESH_SHAPE = ({rows}, {cols})", program);
        Assert.Contains($"BATCH = {perChip}  #", program);
        Assert.Contains($"\"x\": (({items}, 16, 64), None),", program);
        Assert.Contains("ttnn.open_mesh_device(mesh_shape=ttnn.MeshShape(MESH_SHAPE[0], MESH_SHAPE[1]), l1_small_size=L1_SMALL_SIZE,", program);
        Assert.Contains("trace_region_size=0 if args.no_trace else args.trace_region_size)", program);
        Assert.Contains("return ttnn.ShardTensorToMesh(device, dim=0), ttnn.ReplicateTensorToMesh(device), ttnn.ConcatMeshToTensor(device, dim=0)", program);
        Assert.Contains("W[\"proj.weight\"] = ttnn.from_torch(host(npz[\"proj.weight\"], np.float32), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT, device=device, memory_config=ttnn.DRAM_MEMORY_CONFIG, mesh_mapper=mapper)", program);
        Assert.Contains("W[\"conv.weight\"] = ttnn.from_torch(host(npz[\"conv.weight\"], np.float32), dtype=ttnn.bfloat16, layout=ttnn.ROW_MAJOR_LAYOUT, mesh_mapper=mapper)", program);
        Assert.Contains("H[\"x\"] = ttnn.from_torch(host(arrays[\"x\"], np.float32), dtype=ttnn.bfloat16, layout=ttnn.ROW_MAJOR_LAYOUT, mesh_mapper=mapper)", program);
        foreach (var call in new[] { "ttnn.synchronize_device(device)", "ttnn.begin_trace_capture(device, cq_id=0)", "ttnn.end_trace_capture(device, trace, cq_id=0)",
            "ttnn.execute_trace(device, trace, cq_id=0, blocking=True)", "ttnn.release_trace(device, trace)", "ttnn.copy_host_to_device_tensor(host_tensor, X[name])",
            "ttnn.close_mesh_device(device)", $"batch_size={perChip}", "return_weights_and_bias=True" })
            Assert.Contains(call, program);
        // run() is what the trace captures: no host transfer in it.
        var run = program[program.IndexOf("\ndef run(", StringComparison.Ordinal)..program.IndexOf("\n# ----", StringComparison.Ordinal)];
        foreach (var transfer in new[] { "from_torch", "to_torch", "copy_host_to_device_tensor", ".cpu(" }) Assert.DoesNotContain(transfer, run);

        (code, text) = RunOnFake(plan);
        Assert.True(code == 0, text);
        Assert.Contains("run 3:", text);
        Assert.Contains("(trace replay)", text);
        Assert.Contains("all at PCC >= 0.99", text);
        if (items == 1) Assert.Matches("(?m)^out +\\[1, 32, 64\\]", text);
        for (int i = 0; i < items && items > 1; i++) Assert.Matches($"(?m)^out\\[{i}\\] +\\[32, 64\\] +0\\.99", text);
        foreach (var name in new[] { "conv", "act", "proj" }) Assert.Matches($"(?m)^{name} +\\[", text);
        Assert.Equal([items, 32, 64], Npz.Read(Path.Combine(_dir, "out.npz"))["out"].Shape);
    }

    private (int Code, string Output) RunOnFake(DevicePlan plan) => WriteAndRun(plan, "batched_ttnn", null, "--runs", "3");

    /// <summary>Each item is checked on its own: one wrong item fails the check even when the rest are right.</summary>
    [PythonFact(numpy: true)]
    public void OneWrongItemFailsTheCheck()
    {
        var plan = SamplePlans.Batched("wormhole_n300", 2);
        // Chip 1's items come back zeroed: the whole-tensor PCC would still be high, the per-item one is not.
        var (code, text) = WriteAndRun(plan, "batched_ttnn", p => p.Replace(
            "    return {name: ttnn.to_torch(Y[name], mesh_composer=composer).float().numpy() for name in OUTPUTS}",
            "    return {name: zero_last_half(ttnn.to_torch(Y[name], mesh_composer=composer).float().numpy()) for name in OUTPUTS}\n\n\ndef zero_last_half(a):\n    a = a.copy()\n    a[a.shape[0] // 2:] = 0\n    return a", StringComparison.Ordinal));
        Assert.Equal(1, code);
        Assert.Matches("(?m)^out\\[0\\] +\\[32, 64\\] +0\\.99", text);
        Assert.Matches("(?m)^out\\[3\\] .*below 0\\.99", text);
        Assert.Contains("not all at PCC >= 0.99", text);
    }

    [PythonFact(numpy: true)]
    public void UntracedRunsMatchTooForDebugging()
    {
        var (code, text) = WriteAndRun(SamplePlans.Batched("wormhole_n300", 2), "batched_ttnn", null, "--no-trace", "--runs", "2");
        Assert.True(code == 0, text);
        Assert.Contains("run 2:", text);
        Assert.Contains("(untraced)", text);
        Assert.DoesNotContain("trace replay", text);
        Assert.Contains("all at PCC >= 0.99", text);
    }

    /// <summary>Programs that break a trace rule fail on fake_ttnn with the rule named, as they would on a card (so the rules are real).</summary>
    [PythonTheory(numpy: true)]
    [InlineData("write inside capture", "ttnn.copy_host_to_device_tensor inside trace capture")]
    [InlineData("read inside capture", "ttnn.to_torch inside trace capture")]
    [InlineData("no warm-up", "inside trace capture was never run before it with these shapes: its program is not compiled")]
    [InlineData("unprepared conv weights", "ttnn.conv1d given a host tensor (its upload is a host write) inside trace capture")]
    [InlineData("no replay", "not all at PCC >= 0.99")]
    [InlineData("no trace region", "does not fit a trace region of 0 B")]
    public void BreakingATraceRuleFails(string how, string message)
    {
        const string Capture = "    Y = run(device, W, X, skip)\n    ttnn.end_trace_capture(device, trace, cq_id=0)\n";
        const string WarmUp = "    start = time.perf_counter()\n    Y = run(device, W, X, checker.tap if checker is not None else skip)\n    ttnn.synchronize_device(device)\n";
        Func<string, string> edit = how switch
        {
            "write inside capture" => p => Replace(p, Capture, "    write_inputs(H, X)\n" + Capture),
            "read inside capture" => p => Replace(p, Capture, Capture.Replace("skip)", "checker.tap)", StringComparison.Ordinal)),
            "no warm-up" => p => Replace(Replace(p, WarmUp, "    start = time.perf_counter()\n"), "    free_outputs(Y, X)\n    if args.no_trace:", "    if args.no_trace:"),
            "unprepared conv weights" => p => Replace(p, Capture, "    W[\"@conv\"] = W[\"conv.weight\"]\n" + Capture),
            "no replay" => p => Replace(p, "            ttnn.execute_trace(device, trace, cq_id=0, blocking=True)\n", ""),
            _ => p => p,
        };
        string[] extra = how == "no trace region" ? ["--trace-region-size", "0"] : [];
        var (code, text) = WriteAndRun(SamplePlans.Batched("wormhole_n300", 2), "batched_ttnn", edit, extra);
        Assert.NotEqual(0, code);
        Assert.Contains(message, text);
    }

    private static string Replace(string program, string what, string with)
    {
        Assert.Contains(what, program);
        return program.Replace(what, with, StringComparison.Ordinal);
    }

    /// <summary>The stand-in's mesh and trace semantics on their own: shards, composers, replay onto the capture-time outputs, released traces.</summary>
    [PythonFact(numpy: true)]
    public void FakeMeshAndTraceBehaveAsTheNotesSay()
    {
        var script = """
            import numpy as np, torch, ttnn
            mesh = ttnn.open_mesh_device(mesh_shape=ttnn.MeshShape(1, 2), l1_small_size=0, trace_region_size=1 << 20)
            shard, rep, cat = ttnn.ShardTensorToMesh(mesh, dim=0), ttnn.ReplicateTensorToMesh(mesh), ttnn.ConcatMeshToTensor(mesh, dim=0)
            x = ttnn.from_torch(torch.from_numpy(np.arange(8, dtype=np.float32).reshape(4, 2)), dtype=ttnn.float32, layout=ttnn.TILE_LAYOUT, device=mesh, mesh_mapper=shard)
            w = ttnn.from_torch(torch.from_numpy(np.full((1, 2), 10, dtype=np.float32)), dtype=ttnn.float32, layout=ttnn.TILE_LAYOUT, device=mesh, mesh_mapper=rep)
            print("shape", list(x.shape), [t.data.tolist() for t in ttnn.get_device_tensors(x)][1])
            try:
                ttnn.to_torch(x)
            except RuntimeError as e:
                print("no composer:", e)
            y = ttnn.add(x, w)
            tid = ttnn.begin_trace_capture(mesh, cq_id=0)
            y = ttnn.add(x, w)
            ttnn.end_trace_capture(mesh, tid, cq_id=0)
            print("before replay", bool(np.isnan(ttnn.to_torch(y, mesh_composer=cat).numpy()).all()))
            host = ttnn.from_torch(torch.from_numpy(np.ones((4, 2), dtype=np.float32)), dtype=ttnn.float32, layout=ttnn.TILE_LAYOUT, mesh_mapper=shard)
            ttnn.copy_host_to_device_tensor(host, x)
            ttnn.execute_trace(mesh, tid, cq_id=0, blocking=True)
            print("after replay", ttnn.to_torch(y, mesh_composer=cat).numpy().ravel().tolist())
            ttnn.release_trace(mesh, tid)
            try:
                ttnn.execute_trace(mesh, tid, cq_id=0, blocking=True)
            except RuntimeError as e:
                print("released:", e)
            tid = ttnn.begin_trace_capture(mesh, cq_id=0)
            try:
                ttnn.multiply(x, w)
            except RuntimeError as e:
                print("uncompiled:", e)
            """;
        var (code, text) = PythonTool.Run(["-c", script], _dir, new Dictionary<string, string> { ["PYTHONPATH"] = PythonTool.FakeTtnn });
        output.WriteLine(text);
        Assert.True(code == 0, text);
        Assert.Contains("shape [2, 2] [[4.0, 5.0], [6.0, 7.0]]", text);
        Assert.Contains("no composer: to_torch of a tensor on 2 chips needs a mesh_composer", text);
        Assert.Contains("before replay True", text);
        Assert.Contains("after replay [11.0, 11.0, 11.0, 11.0, 11.0, 11.0, 11.0, 11.0]", text);
        Assert.Contains("released: execute_trace: the trace was released", text);
        Assert.Contains("uncompiled: ttnn.multiply inside trace capture was never run before it", text);
    }

    /// <summary>The trace region comes from the plan's op count at the figure TraceRegion cites, with its margin.</summary>
    [Fact]
    public void TraceRegionIsSizedFromTheOps()
    {
        var plan = SamplePlans.Batched("wormhole_n150", 1);
        int ops = plan.Steps.Count(s => !s.IsDeallocate);
        Assert.Equal(6, ops);
        Assert.Equal(2L << 20, TraceRegion.Bytes(plan)); // 6 × 16 KiB + 1 MiB, rounded up to a MiB
        var text = PythonEmitter.Emit(plan, new PythonEmitOptions()).Text;
        Assert.Matches(new Regex("TRACE_REGION_SIZE = 2097152  # 2 MiB of DRAM for the trace: 6 ops x 16 KiB"), text);
    }

    /// <summary>A mesh shards dim 0, so a plan whose inputs do not carry its batch there cannot be spread over the chips.</summary>
    [Fact]
    public void AMeshRefusesAPlanWithoutTheBatchOnDimZero()
    {
        var plan = SamplePlans.Batched("wormhole_n300", 4);
        var wrong = plan with { Bucket = new Dictionary<string, int> { ["frames"] = 64, ["batch"] = 2 } };
        var e = Assert.Throws<VoxTileException>(() => PythonEmitter.Emit(wrong, new PythonEmitOptions()));
        Assert.Equal("plan input x [4,16,64] does not have the per-chip batch 2 as dim 0: a wormhole_n300 program shards dim 0 over its 2 chips", e.Message);
        // On one chip the same plan is fine: nothing is sharded.
        Assert.Contains("BATCH = 2", PythonEmitter.Emit(wrong with { Target = "wormhole_n150" }, new PythonEmitOptions()).Text);
    }

    /// <summary>The reference of a mesh program: each chip's share through the one-chip plan, concatenated on dim 0.</summary>
    [Fact]
    public void MeshReferenceIsEachChipsShareConcatenated()
    {
        var mesh = SamplePlans.Batched("wormhole_n300", 2);
        var single = SamplePlans.Batched("wormhole_n150", 2);
        var x = SamplePlans.Random(new Random(4), 4, 16, 64);
        Assert.Equal([4, 16, 64], PlanInputs.Of(mesh).Single().Shape);
        var (entries, _) = ReferenceNpz.Compute(mesh, [new("x", x)]);
        var whole = entries.Single(e => e.Key == "out").Value;
        Assert.Equal([4, 32, 64], whole.Shape);
        var m = new MeshPlacement(1, 2, 2);
        for (int chip = 0; chip < 2; chip++)
        {
            var (alone, _) = ReferenceNpz.Compute(single, [new("x", m.Share(x, chip))]);
            Assert.Equal(alone.Single(e => e.Key == "out").Value.Data, m.Share(whole, chip).Data);
        }
    }
}
