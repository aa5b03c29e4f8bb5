using System.Globalization;
using System.Text;
using VoxTile.IR;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.IR.Text;
using VoxTile.Lowering.Plan;

namespace VoxTile.Lowering.Emit;

/// <summary>
/// Writes a device plan as a standalone TTNN Python program (<c>voxtile emit --lang python</c>): a header with the
/// model, target, mesh, dtypes and the planner's summary; the plan's memory, compute and conv configs as module
/// constants; <c>load_weights</c> (every weight once, replicated over the mesh, with <c>ttnn.from_torch</c> in the
/// plan's dtype, layout and memory config; conv weights on the host); <c>host_inputs</c> and <c>upload_inputs</c>
/// (the inputs sharded on the batch dim, as host tensors and as the persistent device tensors a trace reads);
/// <c>run</c>, one line per step in plan order with the plan's value names as variables (moves, deallocations and
/// all) and no host transfer, so that it can be captured as a trace; then the fixed part (<see cref="PythonRuntime"/>)
/// that opens the mesh, runs once to compile, captures and replays the trace, writes the outputs and, with
/// <c>--check</c>, prints PCC per tensor and per batch item against VoxTile's reference. Each ttnn op family has its
/// own small emitter; a plan step with no TTNN form is refused by name.
/// </summary>
public static class PythonEmitter
{
    private static readonly IOpEmitter[] Families =
    [
        new EltwiseEmitter(), new MatmulEmitter(), new ConvEmitter(), new NormalizationEmitter(), new ReductionEmitter(),
        new DataMovementEmitter(), new EmbeddingEmitter(), new LayoutEmitter(),
    ];

    private static readonly Dictionary<string, IOpEmitter> ByOp = Families.SelectMany(f => f.Ops.Select(o => (o, f))).ToDictionary(x => x.o, x => x.f, StringComparer.Ordinal);

    /// <summary>The ttnn ops the emitter writes.</summary>
    public static IReadOnlyCollection<string> SupportedOps => ByOp.Keys;

    /// <summary>The distinct ops of <paramref name="plan"/> with no TTNN form here, in order of first use.</summary>
    public static IReadOnlyList<string> Unsupported(DevicePlan plan) =>
        [.. plan.Steps.Where(s => !s.IsDeallocate && !ByOp.ContainsKey(s.Op)).Select(s => s.Op).Distinct()];

    /// <summary>The program and its weights; throws a one-line <see cref="VoxTileException"/> for a plan it cannot express.</summary>
    public static PythonProgram Emit(DevicePlan plan, PythonEmitOptions options, Func<string, Tensor?>? weightFallback = null)
    {
        if (plan.Steps.FirstOrDefault(s => !s.IsDeallocate && !ByOp.ContainsKey(s.Op)) is { } bad)
        {
            var all = Unsupported(plan);
            throw new VoxTileException($"plan step {plan.Tensor(bad.Output).Name}{(bad.Origin is { } o && o != plan.Tensor(bad.Output).Name ? $" (from {o})" : "")}: " +
                $"{bad.Op} has no TTNN equivalent, so the plan cannot be emitted as a TTNN program" +
                (all.Count > 1 ? $" (also unsupported: {string.Join(", ", all.Skip(1))})" : ""));
        }
        var cx = new EmitContext(plan);
        if (plan.Inputs.Where(i => cx.TypeOf(i).Memory is null).Select(i => plan.Tensor(i).Name).FirstOrDefault() is { } hostInput)
            throw new VoxTileException($"plan input {hostInput} lives on the host: a traced program writes its inputs into device tensors, so the plan must place them on the device");
        // The functions first: they decide which module constants (configs, conv sites) the prologue defines; run
        // first of all, since load_weights sets up the conv sites it finds.
        var run = RunBody(plan, cx);
        var functions = new StringBuilder();
        LoadWeights(functions, plan, cx);
        HostInputs(functions, plan, cx);
        UploadInputs(functions, plan, cx);
        functions.Append(run);
        var weights = PlanWeights.Of(plan).Select(t => new KeyValuePair<string, Tensor>(cx.WeightName(t.Id), PlanWeights.Value(plan, t, weightFallback))).ToList();
        var audio = PlanAudio.Of(plan, options.SampleRate);
        var sb = new StringBuilder();
        Header(sb, plan, options, cx, audio);
        Prologue(sb, plan, options, cx, audio);
        sb.Append(functions);
        sb.Append(PythonRuntime.Epilogue(plan.Graph, plan.Model, audio is not null));
        return new PythonProgram(sb.ToString(), weights);
    }

    /// <summary>Writes the program to <paramref name="path"/> and its weights beside it (<see cref="PythonEmitOptions.WeightsFile"/>).</summary>
    public static PythonProgram Write(DevicePlan plan, string path, PythonEmitOptions options, Func<string, Tensor?>? weightFallback = null)
    {
        var program = Emit(plan, options with { ProgramFile = Path.GetFileName(path) }, weightFallback);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        Npz.Write(Path.Combine(dir, options.WeightsFile), program.Weights);
        IR.IO.AtomicFile.Write(path, s =>
        {
            var bytes = new UTF8Encoding(false).GetBytes(program.Text);
            s.Write(bytes);
        });
        return program;
    }

    /// <summary>Whether the program reports a tensor to <c>tap</c> (and so whether a reference file should hold it): named activations that are not outputs.</summary>
    public static bool IsTapped(DevicePlan plan, PlanTensor t) =>
        t.Kind == PlanTensorKind.Activation && PythonNames.IsNamed(t.Name) && !plan.Outputs.Contains(t.Id);

    private static string RunBody(DevicePlan plan, EmitContext cx)
    {
        var sb = new StringBuilder();
        sb.Append("\n\ndef run(device, W, X, tap):\n");
        sb.Append("    \"\"\"The plan, step by step: one line per op, in the plan's order, freeing tensors where the plan does. No host\n");
        sb.Append("    transfer happens here (tap is a no-op but in the warm-up run), so the same calls can be captured as a trace.\"\"\"\n");
        foreach (var i in plan.Inputs) sb.Append($"    {cx.Local(i)} = X[{Py.Str(cx.Local(i))}]\n");
        foreach (var step in plan.Steps)
        {
            if (step.IsDeallocate)
            {
                foreach (var i in step.Inputs)
                {
                    var t = plan.Tensor(i);
                    if (t.Kind == PlanTensorKind.Weight)
                    {
                        sb.Append($"    # the plan frees weight {cx.WeightName(i)} here; the program keeps it for the next run\n");
                        continue;
                    }
                    if (plan.Inputs.Contains(i))
                    {
                        sb.Append($"    # the plan frees input {cx.Local(i)} here; the program keeps it: the next run writes into it\n");
                        continue;
                    }
                    bool force = !step.Attributes.TryGetValue("force", out var f) || Parser.ParseAttributeValue(f) is not false;
                    sb.Append($"    ttnn.deallocate({cx.Local(i)}, force={Py.Bool(force)})\n");
                }
                continue;
            }
            var op = CreateOp(plan, step);
            sb.Append("    ").Append(ByOp[step.Op].Emit(new EmitStep(step, op, cx))).Append('\n');
            var output = plan.Tensor(step.Output);
            if (IsTapped(plan, output)) sb.Append($"    tap({Py.Str(cx.Local(step.Output))}, {cx.Local(step.Output)})\n");
        }
        sb.Append("    return {").AppendJoin(", ", plan.Outputs.Select(o => $"{Py.Str(cx.Local(o))}: {cx.Var(o)}")).Append("}\n");
        return sb.ToString();
    }

    /// <summary>The step's op, rebuilt from its name and printed attributes (so the emitters read typed attributes).</summary>
    internal static Op CreateOp(DevicePlan plan, PlanStep step)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        string where = $"plan step {plan.Tensor(step.Output).Name} ({step.Op})";
        foreach (var (k, v) in step.Attributes)
        {
            try { values[k] = Parser.ParseAttributeValue(v); }
            catch (VoxTileException e) { throw new VoxTileException($"{where}: attribute {k} = {v} does not parse ({e.Message})"); }
        }
        try
        {
            return OpRegistry.TryCreate(step.Op, new AttributeMap(values), out var op) && op is not null ? op
                : throw new VoxTileException($"{where}: {step.Op} is not an op of the IR");
        }
        catch (VoxTileException e) when (!e.Message.StartsWith(where, StringComparison.Ordinal))
        {
            throw new VoxTileException($"{where}: {e.Message}");
        }
    }

    private static void Header(StringBuilder sb, DevicePlan plan, PythonEmitOptions options, EmitContext cx, PlanAudio? audio)
    {
        var s = plan.Summary;
        var lines = new List<string>
        {
            $"TTNN program for VoxTile's device plan @{plan.Graph}, written by `voxtile emit --lang python`. Regenerate it rather than edit it.",
            "",
            $"model:     {plan.Model} (hash {plan.ModelHash})",
            $"graph:     @{plan.Graph}" + (plan.Bucket.Count > 0 ? ", compiled for " + string.Join(", ", plan.Bucket.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => $"{b.Key} {b.Value}")) : ""),
            $"target:    {plan.Target}" + (cx.Target is { } t ? $" ({t.GridX}x{t.GridY} Tensix cores{(t.Chips > 1 ? $" per chip, {t.Chips} chips as a {t.MeshRows}x{t.MeshCols} mesh" : "")})" : " (unknown to this VoxTile: an 8x8 core grid is assumed)"),
            $"mesh:      {MeshLine(plan, cx)}",
            $"dtypes:    {DTypeChoices(plan, cx)}",
        };
        if (plan.Options.TryGetValue("pipeline", out var pipeline)) lines.Add($"pipeline:  {pipeline}");
        int ops = plan.Steps.Count(x => !x.IsDeallocate), frees = plan.Steps.Count - ops;
        lines.Add($"planner:   {ops} ops and {frees} deallocations; " + string.Join(", ", s.OpsByKind.Where(k => k.Key != PlanStep.Deallocate)
            .OrderByDescending(k => k.Value).ThenBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key.Replace("ttnn.", "")} {k.Value}")));
        lines.Add($"           peak L1 {Bytes(s.PeakL1BytesPerCore)} of {Bytes(s.L1BudgetPerCore)} per core; {s.Spills} spills, {s.Reshards} reshards, {s.Slices} ops sliced" +
            (s.HostOps > 0 ? $", {s.HostOps} host ops" : ""));
        lines.Add($"           modeled {Seconds(s.ModeledSeconds)} (roofline {Seconds(s.RooflineSeconds)}), {Bytes(s.DramBytesMoved)} of DRAM traffic, {Bytes(s.WeightBytes)} of weights");
        lines.AddRange(InputLines(plan, cx, audio, AudioRate(plan, options, audio)));
        lines.Add($"weights:   {options.WeightsFile} beside this file: fp32 in the layout each op expects; ttnn.from_torch casts and tiles them");
        lines.Add($"execution: one warm-up run (compiles every program, has TTNN prepare the conv weights), then the {TraceRegion.Ops(plan)} ops captured as");
        lines.Add($"           one trace (TRACE_REGION_SIZE below) and replayed for each of --runs N, new inputs written into the traced");
        lines.Add("           input tensors; --no-trace dispatches every op from Python instead");
        lines.Add("compute:   matmuls and convs at the cost model's fidelity: HiFi4 for bf16/fp32 operands, HiFi2 for bfp8_b, LoFi for bfp4_b");
        lines.Add("");
        lines.Add($"Checked against the ttnn Python API reference ({options.ApiReference}): every ttnn function, keyword,");
        lines.Add("type and enum value used here exists there. VoxTile has not run it on Tenstorrent hardware.");
        lines.Add("");
        lines.Add($"usage: python3 {options.ProgramFile} [--input NAME=FILE ...] [--inputs INPUTS.npz] [--output OUT.npz]{(audio is null ? "" : " [--wav OUT.wav]")} [--check REFERENCE.npz] [--runs N] [--no-trace]");
        sb.Append("#!/usr/bin/env python3\n");
        foreach (var l in lines) sb.Append(l.Length == 0 ? "#" : Py.Comment(l)).Append('\n');
    }

    /// <summary>The rate of the plan's audio: its output's, else the emit options' or the plan's record (for .wav inputs).</summary>
    private static int? AudioRate(DevicePlan plan, PythonEmitOptions options, PlanAudio? audio) => audio?.Rate ?? options.SampleRate ?? PlanAudio.RecordedRate(plan);

    /// <summary>The header's account of the inputs and outputs: each input's shape, type and how it is filled, and how to give them.</summary>
    private static IEnumerable<string> InputLines(DevicePlan plan, EmitContext cx, PlanAudio? audio, int? rate)
    {
        var lengths = PlanInputs.Lengths(plan);
        var measured = lengths.Values.ToHashSet(StringComparer.Ordinal);
        string label = "inputs:";
        foreach (var slot in PlanInputs.Of(plan))
        {
            string? how = slot.Seed is { } seed ? $"posterior noise, drawn from seed {seed} as VoxTile draws it when not given"
                : lengths.TryGetValue(slot.Name, out var of) ? $"how many of {of}'s values are real; set from the given {of} when not given"
                : slot.Name == audio?.Input || (slot.Name == "samples" && rate is not null) ? $"audio at {rate} Hz (a .wav is read as it is: resample it first); shorter is padded with zeros" + (audio?.Input == slot.Name ? " and the WAV trimmed to match" : "")
                : measured.Contains(slot.Name) ? "shorter is padded with zeros (its length input says how much is real)"
                : slot.Shape[^1] > 1 ? "a shorter last dim is padded with zeros" : null;
            yield return $"{label,-10} {slot.Name} [{string.Join(", ", slot.Shape)}] {TtnnSpelling.NumpyDType(slot.DType).Replace("np.", "", StringComparison.Ordinal)}{(how is null ? "" : ": " + how)}";
            label = "";
        }
        var outputs = plan.Outputs.Select(o => $"{cx.Local(o)} [{string.Join(", ", cx.Mesh.Global(cx.TypeOf(o).Shape.ToArray()))}]"
            + (cx.Local(o) == audio?.Output ? $" (--wav writes it at {audio.Rate} Hz)" : "")).Distinct();
        yield return $"outputs:   {string.Join(", ", outputs)}";
        yield return "           each input from --input NAME=FILE (.npy, or .wav for audio), else from --inputs INPUTS.npz (arrays by these names;";
        yield return "           `voxtile emit ... --input NAME=FILE --inputs-npz INPUTS.npz` writes one in the same call as this program),";
        yield return "           else from --check's file, else drawn from its seed";
    }

    private static string MeshLine(DevicePlan plan, EmitContext cx)
    {
        var m = cx.Mesh;
        string items = m.Batch == 1 ? "1 item" : $"{m.Batch} items";
        return m.Chips == 1
            ? $"1x1, one chip; batch {m.Batch} ({items} on dim 0 of every input and output)"
            : $"{m.Rows}x{m.Cols}, {m.Chips} chips, data parallel: weights replicated on every chip, inputs sharded on dim 0 ({items} per chip, " +
              $"{m.Chips * m.Batch} in all), outputs concatenated on it; each chip runs the plan, the one-chip program";
    }

    private static string DTypeChoices(DevicePlan plan, EmitContext cx)
    {
        var parts = new List<string>();
        if (plan.Options.TryGetValue("weights", out var w)) parts.Add($"weights {w}");
        if (plan.Options.TryGetValue("activations", out var a)) parts.Add($"activations {a}");
        string Census(IEnumerable<PlanTensor> ts) => string.Join(" ", ts.GroupBy(t => cx.TypeOf(t.Id).DType).OrderBy(g => g.Key)
            .Select(g => $"{g.Key.Name()}×{g.Count()}"));
        var weights = PlanWeights.Of(plan);
        var values = plan.Tensors.Where(t => t.Kind == PlanTensorKind.Activation);
        parts.Add($"as planned: weights {Census(weights)}; values {Census(values)}");
        return string.Join(", ", parts);
    }

    private static void Prologue(StringBuilder sb, DevicePlan plan, PythonEmitOptions options, EmitContext cx, PlanAudio? audio)
    {
        sb.Append("\nimport argparse\nimport os\nimport sys\nimport time\nimport wave\n\nimport numpy as np\nimport torch\nimport ttnn\n\n");
        sb.Append("HERE = os.path.dirname(os.path.abspath(__file__))\n");
        sb.Append($"WEIGHTS = os.path.join(HERE, {Py.Str(options.WeightsFile)})\n");
        sb.Append($"SAMPLE_RATE = {(AudioRate(plan, options, audio) is { } r ? Py.Int(r) : "None")}  # of the plan's audio, for .wav inputs and --wav\n");
        sb.Append($"AUDIO_OUTPUT = {(audio is null ? "None" : Py.Str(audio.Output))}  # the output --wav writes\n");
        sb.Append($"AUDIO_INPUT = {(audio?.Input is { } ai ? Py.Str(ai) : "None")}  # the input whose zero padding --wav trims off again\n");
        sb.Append($"AUDIO_LENGTH = {(audio?.Length is { } al ? Py.Str(al) : "None")}  # the output giving each item's valid frames: --wav keeps them times AUDIO_HOP\n");
        sb.Append($"AUDIO_HOP = {Py.Int(audio?.Hop ?? 0)}  # samples per frame of AUDIO_OUTPUT\n");
        sb.Append("L1_SMALL_SIZE = 32768  # L1 set aside for the convs' halo and config tensors (tt-mlir's 1 << 15)\n");
        var mesh = cx.Mesh;
        sb.Append($"MESH_SHAPE = ({mesh.Rows}, {mesh.Cols})  # {plan.Target}'s chips as TTNN opens them (rows, cols)\n");
        sb.Append($"BATCH = {mesh.Batch}  # items per chip: each chip runs the plan on its share of dim 0\n");
        long trace = TraceRegion.Bytes(plan);
        sb.Append($"TRACE_REGION_SIZE = {Py.Int(trace)}  # {trace >> 20} MiB of DRAM for the trace: {TraceRegion.Ops(plan)} ops x {TraceRegion.BytesPerOp >> 10} KiB " +
            $"(tt-metal's UNet figure, doubled) + {TraceRegion.Margin >> 20} MiB\n");
        if (cx.UsesSharding) sb.Append($"GRID_X, GRID_Y = {cx.GridX}, {cx.GridY}  # {plan.Target}'s Tensix grid\n");
        sb.Append("\n# The program's inputs: name -> (shape, seed of a standard-normal draw or None), dim 0 holding every chip's items.\n");
        sb.Append("# Noise inputs not in the inputs file are drawn from their seed exactly as VoxTile draws them.\n");
        sb.Append("INPUTS = {\n");
        foreach (var i in plan.Inputs)
        {
            var t = plan.Tensor(i);
            sb.Append($"    {Py.Str(cx.Local(i))}: ({Py.Tuple(mesh.Global(cx.TypeOf(i).Shape.ToArray()))}, {(t.Seed is { } seed ? Py.Int(seed) : "None")}),\n");
        }
        sb.Append("}\n");
        sb.Append("# Length inputs: name -> the input whose real (unpadded) length it holds, set from it when not given.\n");
        sb.Append("LENGTHS = {").AppendJoin(", ", PlanInputs.Lengths(plan).Select(l => $"{Py.Str(l.Key)}: {Py.Str(l.Value)}")).Append("}\n");
        sb.Append("OUTPUTS = [").AppendJoin(", ", plan.Outputs.Select(o => Py.Str(cx.Local(o)))).Append("]\n");
        if (cx.ConvSites.Count > 0)
        {
            sb.Append("\n# Conv call sites: site -> (host weight, host bias, OIHW view of the host weight or None). Each site keeps the weights TTNN returns prepared, for the next run.\n");
            sb.Append("CONV_SITES = {\n");
            foreach (var (site, weight, bias, oihw) in cx.ConvSites)
                sb.Append($"    {Py.Str(site)}: ({Py.Str(weight)}, {(bias is null ? "None" : Py.Str(bias))}, {(oihw is null ? "None" : Py.Tuple(oihw))}),\n");
            sb.Append("}\n");
        }
        if (cx.UsesSharding) sb.Append(PythonRuntime.ShardingHelpers);
        var constants = cx.ConstantDefinitions.ToList();
        if (constants.Count > 0)
        {
            sb.Append("\n\n# The plan's memory, compute and conv configs.\n");
            foreach (var c in constants) sb.Append(c).Append('\n');
        }
        sb.Append(PythonRuntime.HostHelper);
        sb.Append(PythonRuntime.MeshHelper);
    }

    private static void LoadWeights(StringBuilder sb, DevicePlan plan, EmitContext cx)
    {
        sb.Append("\n\ndef load_weights(device, mapper, path=WEIGHTS):\n");
        sb.Append("    \"\"\"Every weight once, on every chip (mapper replicates), in the plan's dtype, layout and memory config; conv\n");
        sb.Append("    weights stay on the host for TTNN to prepare on the warm-up run.\"\"\"\n");
        sb.Append("    npz = np.load(path)\n    W = {}\n");
        foreach (var t in PlanWeights.Of(plan))
            sb.Append($"    W[{Py.Str(cx.WeightName(t.Id))}] = {FromTorch($"npz[{Py.Str(cx.WeightName(t.Id))}]", cx.TypeOf(t.Id), cx, onDevice: true)}\n");
        if (cx.ConvSites.Count > 0)
        {
            sb.Append("    for site, (weight, bias, oihw) in CONV_SITES.items():\n");
            sb.Append("        W[\"@\" + site] = W[weight] if oihw is None else ttnn.reshape(W[weight], oihw)\n");
            sb.Append("        if bias is not None:\n");
            sb.Append("            W[\"@\" + site + \".bias\"] = W[bias]\n");
        }
        sb.Append("    return W\n");
    }

    private static void HostInputs(StringBuilder sb, DevicePlan plan, EmitContext cx)
    {
        sb.Append("\n\ndef host_inputs(arrays, mapper):\n");
        sb.Append("    \"\"\"The inputs as host tensors, split over the chips (mapper shards dim 0) in the device tensors' dtype and layout:\n");
        sb.Append("    what ttnn.copy_host_to_device_tensor writes into the traced inputs before each run.\"\"\"\n");
        sb.Append("    H = {}\n");
        foreach (var i in plan.Inputs)
        {
            var name = cx.Local(i);
            sb.Append($"    H[{Py.Str(name)}] = {FromTorch($"arrays[{Py.Str(name)}]", cx.TypeOf(i), cx, onDevice: false)}\n");
        }
        sb.Append("    return H\n");
    }

    private static void UploadInputs(StringBuilder sb, DevicePlan plan, EmitContext cx)
    {
        sb.Append("\n\ndef upload_inputs(device, arrays, mapper):\n");
        sb.Append("    \"\"\"The inputs on the device, placed as the plan places them, each chip holding its share of dim 0: the persistent\n");
        sb.Append("    tensors run reads, and a captured trace reads again on every replay.\"\"\"\n");
        sb.Append("    X = {}\n");
        foreach (var i in plan.Inputs)
        {
            var name = cx.Local(i);
            sb.Append($"    X[{Py.Str(name)}] = {FromTorch($"arrays[{Py.Str(name)}]", cx.TypeOf(i), cx, onDevice: true)}\n");
        }
        sb.Append("    return X\n");
    }

    /// <summary>
    /// <c>ttnn.from_torch</c> of an npz array through the function's <c>mapper</c> (replicate for weights, shard for
    /// inputs): on the device with its memory config, or on the host when the plan keeps it there or
    /// <paramref name="onDevice"/> is false.
    /// </summary>
    private static string FromTorch(string array, TensorType t, EmitContext cx, bool onDevice)
    {
        // A bfp8_b conv weight goes to the conv as f32 OIHW rows, as TTNN's weight preparation takes it (it packs f32
        // only): its values are already the plan's bfp8_b ones, so the conv config's weights_dtype re-packs them bit for bit.
        if (t.Memory is null && t.DType.IsBlockFloat()) t = t with { DType = DType.F32, Layout = Layout.RowMajor };
        var layout = t.Layout ?? Layout.RowMajor;
        var args = new List<string?>
        {
            $"host({array}, {TtnnSpelling.NumpyDType(t.DType)})", "dtype=" + TtnnSpelling.DType(t.DType), "layout=" + TtnnSpelling.Layout(layout),
        };
        if (t.Memory is not null && onDevice)
        {
            args.Add("device=device");
            args.Add("memory_config=" + cx.MemoryConfig(t));
        }
        args.Add("mesh_mapper=mapper");
        return EmitStep.Call("ttnn.from_torch", [.. args]);
    }

    private static string Bytes(long b) => b switch
    {
        >= 1L << 30 => (b / (double)(1L << 30)).ToString("0.##", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (b / (double)(1L << 20)).ToString("0.##", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (b / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        _ => b.ToString(CultureInfo.InvariantCulture) + " B",
    };

    private static string Seconds(double s) => s >= 1 ? s.ToString("0.###", CultureInfo.InvariantCulture) + " s"
        : (s * 1e3).ToString("0.###", CultureInfo.InvariantCulture) + " ms";
}
