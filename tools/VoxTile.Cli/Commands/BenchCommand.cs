using System.CommandLine;
using VoxTile.Cli.Usage;
using System.Diagnostics;
using System.Globalization;
using VoxTile.IR;
using VoxTile.IR.IO;
using VoxTile.Lowering.Targets;
using VoxTile.Models.Config;
using VoxTile.Models.Device;
using VoxTile.Models.OpenVoice;
using VoxTile.Models.Pipelines;
using VoxTile.Runtime.Execution;
using VoxTile.Runtime.Native;

namespace VoxTile.Cli.Commands;

/// <summary>
/// <c>voxtile bench converter --seconds 10</c>: voice_conversion at the released V2 size (random weights, seeded
/// random inputs) timed on each backend and dtype, best of a few runs after a warm-up (compiling and loading are
/// reported apart), with the work's GFLOP/s against this machine's measured peak and the peak RSS; then ONNX Runtime
/// on the same inputs with the same thread count (tools/VoxTile.Bench, when ../shared/peers is there) and the
/// ratio. Ends with one machine-readable line. A benchmark prints figures: nothing here asserts a time.
/// <c>voxtile bench clone --seconds 5</c> times the whole text-to-cloned-speech path instead (<see cref="BenchClone"/>).
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var what = new Argument<string>("what")
        {
            Description = "What to benchmark: converter (voice_conversion against the reference and ONNX Runtime), clone (MeloTTS, resampling, embedding and conversion end to end) "
                + "or clone-model (the modeled concurrent real-time clones per card target, from compiled plans)",
        };
        what.AcceptOnlyFromAmong("converter", "clone", "clone-model");
        var seconds = new Option<double>("--seconds") { Description = "Audio length in seconds (at most 600; 30 for clone and clone-model)", DefaultValueFactory = _ => 10.0 }.Within(0.0, 600.0, minExclusive: true, unit: "s");
        var threads = new Option<int>("--threads") { Description = "Threads for every side (0: one per core)", DefaultValueFactory = _ => 0 }.Within(0, 1024);
        var repeats = new Option<int>("--repeats") { Description = "Timed runs per configuration (the best is kept)", DefaultValueFactory = _ => 3 }.Within(1, 1000);
        var dtypes = new Option<string[]>("--dtypes") { Description = "Device dtypes to time", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => ["bf16", "bfp8_b", "f32"] };
        var reference = new Option<bool>("--reference") { Description = "Also time the fp32 reference interpreter (slow at full size)" };
        var peers = new Option<string?>("--peers") { Description = "The peers folder (default: ../shared/peers beside the repository, or $VOXTILE_PEERS)" };
        var targets = new Option<string[]>("--targets")
        {
            Description = $"Targets whose plans to time on the CPU runtime ({string.Join(", ", TargetSpec.All.Select(t => t.Name))}): the first with every dtype, the others in bf16",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [TargetSpec.Cpu.Name, TargetSpec.WormholeN150.Name],
        };
        var allowHost = DeviceOptions.AllowHostOption();
        var trace = new Option<string?>("--trace") { Description = "converter: write a Chrome/Perfetto trace of every op of every run (the warm-up and each timed run a span) to this JSON file" };
        var cmd = new Command("bench", "Benchmark the converter against the reference and ONNX Runtime (prints figures)")
        { what, seconds, threads, repeats, dtypes, reference, peers, targets, allowHost, trace };
        cmd.SetAction(r => CommandRunner.Run(() =>
        {
            double secs = r.GetValue(seconds);
            int nThreads = r.GetValue(threads) is > 0 and var n ? n : Environment.ProcessorCount;
            int reps = r.GetValue(repeats);
            if (r.GetValue(what) == "clone-model")
            {
                if (secs > CompileSubject.MaxTtsSeconds) throw new VoxTileException($"bench clone-model: --seconds must be at most {CompileSubject.MaxTtsSeconds:0} (one MeloTTS plan), got {secs}");
                var modeled = r.GetResult(targets) is { Implicit: false } ? (r.GetValue(targets) ?? []).Select(TargetSpec.Parse).ToList() : BenchCloneModel.DefaultTargets;
                BenchCloneModel.Run(secs, modeled, (r.GetValue(dtypes) ?? []).FirstOrDefault() ?? "bf16");
                return 0;
            }
            var specs = (r.GetValue(targets) ?? []).Select(TargetSpec.Parse).ToList();
            if (specs.Count == 0) throw new VoxTileException("--targets names no target");
            var spec = specs[0];
            if (r.GetValue(what) == "clone")
            {
                if (secs > 30) throw new VoxTileException($"bench clone: --seconds must be at most 30 (one MeloTTS plan), got {secs}");
                BenchClone.Run(secs, r.GetValue(threads), reps, spec, (r.GetValue(dtypes) ?? []).FirstOrDefault() ?? "bf16", r.GetValue(allowHost));
                return 0;
            }
            var model = ToneColorConverter.Random(ConverterConfig.ReleasedV2, ModelOptions.DemoSeed);
            var inputs = ConverterBench.RandomInputs(model, secs);
            int frames = inputs.Frames;
            double audio = inputs.AudioSeconds;
            KernelLibrary.Initialize(nThreads); // applies VOXTILE_ISA (one line when the CPU lacks it) before anything is timed
            var (isa, forced) = KernelLibrary.CurrentIsa;
            var (peak32, peak16, clock, measured, bits) = Peaks(nThreads, isa);
            Console.WriteLine($"voxtile bench converter: released V2 size (random weights), {frames} frames = {audio:F2} s of audio, {nThreads} thread(s), best of {reps}");
            Console.WriteLine($"kernels: {KernelLibrary.IsaName(isa)} ({(forced ? $"forced by {KernelLibrary.IsaVariable}" : "the best this CPU has")}); "
                + $"peak for it on {nThreads} thread(s): {peak32:F0} GFLOP/s fp32 FMA, {peak16:F0} GFLOP/s bf16 dot ({clock:F2} GHz "
                + $"{(measured ? "measured (a dependent add chain, one cycle each)" : "nominal (/proc/cpuinfo; the clock could not be measured)")} × 2 × {bits}-bit FMA pipes"
                + $"{(peak16 > peak32 ? ", ×2 for vdpbf16ps" : "")}); GFLOP/s counts the direct convolution's work, so Winograd convolutions can pass 100 %");
            // ONNX Runtime is loaded first and timed once after each of VoxTile's timed runs (see OnnxRuntimePeer).
            using var ort = Terminal.Progress.Run("loading onnxruntime", _ => OnnxRuntimePeer.Start(r.GetValue(peers), inputs, nThreads));
            Console.WriteLine($"{"backend",-22} {"compile s",9} {"load s",7} {"best s",8} {"RTF",7} {"GFLOP",7} {"GFLOP/s",8} {"of peak",8} {"peak RSS",9}");

            var tracePath = r.GetValue(trace);
            var perfetto = tracePath is null ? null : new PerfettoTrace();
            var runs = (r.GetValue(dtypes) ?? []).Select(d => (Target: spec, DType: d))
                .Concat(specs.Skip(1).Select(t => (Target: t, DType: "bf16"))).ToList();
            // Per configuration its RTF and ONNX Runtime's best over the runs alternating with it: each ratio compares
            // as many runs of either side, taken in the same stretch of time.
            var results = new List<Measured>();
            foreach (var (runTarget, dtype) in runs)
            {
                ResetPeakRss();
                int ortBefore = ort?.Runs ?? 0;
                string row = $"{runTarget.Name} {dtype}";
                var t = Terminal.Progress.Run($"benchmarking {row}", p => ConverterBench.TimeDevice(model, inputs,
                    new DeviceBackendOptions
                    {
                        Target = runTarget, DType = dtype, Threads = nThreads, AllowHost = r.GetValue(allowHost),
                        Note = Terminal.Progress.Note, Stage = Terminal.Progress.Stage, Trace = perfetto,
                    }, reps, p, row, afterEachRun: ort is null ? null : () => ort.RunOnce()));
                double best = t.BestSeconds, flops = t.Flops;
                double peak = dtype == "f32" ? peak32 : peak16;
                results.Add(new Measured(runTarget, dtype, row, best / audio, ort?.BestSince(ortBefore) / audio));
                Console.WriteLine($"{row,-22} {t.CompileSeconds,9:F2} {t.LoadSeconds,7:F2} {best,8:F3} {best / audio,7:F3} {flops / 1e9,7:F1} {flops / 1e9 / best,8:F1} {flops / 1e9 / best / peak,8:P0} {PeakRssMb(),6:F0} MB");
            }

            if (r.GetValue(reference))
            {
                double t = Terminal.Progress.Run("benchmarking the fp32 reference", _ => ConverterBench.TimeReference(model, inputs));
                Console.WriteLine($"{"reference f32",-22} {"",9} {"",7} {t,8:F3} {t / audio,7:F3}   (one run; the fp32 interpreter)");
            }

            if (perfetto is not null && tracePath is not null)
            {
                perfetto.Write(tracePath);
                Console.Error.WriteLine($"voxtile: wrote the trace {tracePath} ({perfetto.Count} events; open it in ui.perfetto.dev)");
            }

            // the ratio of record: the first target in bf16, else its first dtype
            var main = results.FirstOrDefault(m => m.Target == spec && m.DType == "bf16") ?? results.FirstOrDefault();
            double ours = main?.Rtf ?? double.NaN;
            double? ortRtf = main?.OrtRtf;
            if (main is not null && ortRtf is { } o)
            {
                Console.WriteLine($"{"onnxruntime 1.31.1",-22} {"",9} {"",7} {o * audio,8:F3} {o,7:F3}   (same inputs, {nThreads} thread(s), best of the {reps} runs alternating with {main.Row}'s); voxtile {main.Row} / onnxruntime = {ours / o:F3}");
                foreach (var m in results.Where(m => m != main && m.OrtRtf is not null))
                    Console.WriteLine($"{"",-22} {"",9} {"",7} {m.OrtRtf * audio,8:F3} {m.OrtRtf,7:F3}   (the runs alternating with {m.Row}'s); voxtile {m.Row} / onnxruntime = {m.Rtf / m.OrtRtf:F3}");
            }
            string F(double v) => double.IsNaN(v) ? "na" : v.ToString("F4", CultureInfo.InvariantCulture);
            // The card plans run unchanged on the CPU runtime: their figures beside the CPU target's, from the same run.
            var cards = string.Concat(results.Where(m => m.Target != spec).Select(m =>
                $" {m.Target.Name}_bf16_rtf={F(m.Rtf)}{(m.OrtRtf is { } z ? $" {m.Target.Name}_bf16_ratio={F(m.Rtf / z)}" : "")}"));
            Console.WriteLine($"bench converter seconds={secs.ToString(CultureInfo.InvariantCulture)} target={spec.Name} voxtile_rtf={F(ours)} onnxruntime_rtf={(ortRtf is { } x ? F(x) : "na")} ratio={(ortRtf is { } y ? F(ours / y) : "na")}{cards}");
            return 0;
        }));
        return cmd;
    }

    /// <summary>One benchmarked configuration: its table row name, RTF, and ONNX Runtime's RTF over the runs alternating with it.</summary>
    private sealed record Measured(TargetSpec Target, string DType, string Row, double Rtf, double? OrtRtf);

    /// <summary>Resets the kernel's peak-RSS mark (VmHWM) of this process, so each backend reports its own peak.</summary>
    private static void ResetPeakRss()
    {
        GC.Collect();
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static double PeakRssMb()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null) return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException) { }
        return Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
    }

    /// <summary>
    /// The FMA peak of <paramref name="isa"/> on <paramref name="threads"/> cores at the measured clock (the nominal
    /// one from /proc/cpuinfo only where it cannot be measured): 2 FMA pipes of the ISA's vector width, 2 flops each.
    /// </summary>
    private static (double Fp32, double Bf16, double Ghz, bool Measured, int Bits) Peaks(int threads, VtIsa isa)
    {
        double ghz = KernelLibrary.MeasuredClockGhz();
        bool measured = ghz > 0;
        if (!measured)
        {
            var info = File.Exists("/proc/cpuinfo") ? File.ReadAllText("/proc/cpuinfo") : "";
            ghz = info.Split('\n').Where(l => l.StartsWith("cpu MHz", StringComparison.Ordinal))
                .Select(l => double.TryParse(l[(l.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture, out var v) ? v : 0).DefaultIfEmpty(3000).Max() / 1000;
        }
        int bits = isa switch { VtIsa.Avx512 or VtIsa.Avx512Bf16 => 512, VtIsa.Avx2 => 256, _ => 128 };
        double fp32 = threads * ghz * 2 * (bits / 32) * 2;
        return (fp32, isa == VtIsa.Avx512Bf16 ? 2 * fp32 : fp32, ghz, measured, bits);
    }
}
