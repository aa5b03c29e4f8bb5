using System.CommandLine;
using VoxTile.Cli.Usage;
using VoxTile.IR;
using VoxTile.Lowering.Targets;
using VoxTile.Models.Device;
using VoxTile.Runtime.Cache;
using VoxTile.Runtime.Execution;

namespace VoxTile.Cli.Commands;

/// <summary>
/// The options of the commands that run a model on the device runtime (convert, tts, clone): which backend, dtype and
/// target, threads, per-op check, trace and profile, and the report printed after a device run.
/// </summary>
internal sealed class DeviceOptions
{
    public Option<string> Backend { get; } = Choice("--backend", "device (compile, plan and run on the device runtime) or reference (the fp32 interpreter)", "device", "reference");
    public Option<string> DType { get; } = Choice("--dtype", "Device dtype: bf16 (weights and activations), bfp8_b (block-float weights) or f32 (the fp32 debugging mode)", "bf16", "bfp8_b", "f32");
    public Option<string> Target { get; } = CompileCommand.TargetOption(TargetSpec.Cpu);
    public Option<bool> Check { get; } = new("--check") { Description = "Device: compare every op's output with its fp32 reference and report PCC per op (slow)" };
    public Option<string?> Trace { get; } = new("--trace") { Description = "Device: write a Chrome/Perfetto trace of every op to this JSON file" };
    public Option<int> Threads { get; } = new Option<int>("--threads") { Description = "Device: kernel threads (0: one per core)", DefaultValueFactory = _ => 0 }.Within(0, 1024);
    public Option<bool> Profile { get; } = new("--profile") { Description = "Print the time spent per op kind" };
    public Option<bool> AllowHost { get; } = AllowHostOption();
    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Print the run's details: plan cache, compile and load times, and per plan its runs, fused ops, host steps and peak L1" };

    public IEnumerable<Option> All => [Backend, DType, Target, Check, Trace, Threads, Profile, AllowHost, Verbose];

    public bool IsVerbose(ParseResult r) => r.GetValue(Verbose);

    /// <summary><c>--allow-host</c>: without it a plan with a step no native kernel runs is refused, naming the step.</summary>
    public static Option<bool> AllowHostOption() => new("--allow-host")
    {
        Description = "Device: run plan steps that have no CPU kernel on the host with their fp32 reference (refused otherwise)",
    };

    public bool IsDevice(ParseResult r) => r.GetValue(Backend) == "device";

    /// <summary>The device backend's options (null with <c>--backend reference</c>), after checking the switches that need the device.</summary>
    public DeviceBackendOptions? Build(ParseResult r, out PerfettoTrace? trace)
    {
        trace = null;
        if (!IsDevice(r))
        {
            if (r.GetValue(Check) || r.GetValue(Trace) is not null || r.GetValue(AllowHost)) throw new VoxTileException("--check, --trace and --allow-host need --backend device");
            return null;
        }
        if (r.GetValue(Trace) is { } path)
        {
            OutputFile.EnsureWritable(path, ".json");
            trace = new PerfettoTrace();
        }
        return new DeviceBackendOptions
        {
            Target = TargetSpec.Parse(r.GetValue(Target)!),
            DType = r.GetValue(DType)!,
            Threads = r.GetValue(Threads),
            Check = r.GetValue(Check),
            AllowHost = r.GetValue(AllowHost),
            Trace = trace,
            Cache = PlanCache.Default(),
            Note = Terminal.Progress.Note,
            Stage = Terminal.Progress.Stage,
        };
    }

    /// <summary>
    /// What a device run did, with --verbose: cache, compile and load time, per plan its runs, fusion, host steps and
    /// peak L1; then the profile (a table per plan, named), check and trace when asked.
    /// </summary>
    public void Report(ParseResult r, string what, DeviceBackendOptions options, IEnumerable<Executor> executors, double compileSeconds, double loadSeconds, PerfettoTrace? trace)
    {
        var cache = options.Cache;
        var plans = executors.ToList();
        if (IsVerbose(r))
            Console.Error.WriteLine($"voxtile: {what}: {(cache is null ? "" : $"plan cache {cache.Hits} hit(s), {cache.Misses} compiled ({cache.Directory}); ")}"
            + $"compile {compileSeconds:F2} s, load {loadSeconds:F2} s; "
            + string.Join("; ", plans.Select(e => $"{e.Plan.Plan.Options.GetValueOrDefault("graph", "plan")} ({string.Join(", ", e.Plan.Plan.Bucket.Select(b => $"{b.Value} {b.Key}"))}): {e.Timings.Runs} run(s), "
                + $"{e.FusedOps} fused ops, {e.HostSteps} on the host, peak L1 {e.Memory.PeakL1PerCore / 1024.0:F0} KiB/core")));
        if (r.GetValue(Profile))
            foreach (var e in plans)
            {
                Console.Error.WriteLine($"voxtile: profile of the {PlanName(e)} plan for {options.Target.Name} ({options.DType}):");
                Console.Error.Write(e.Timings.ToString());
            }
        if (r.GetValue(Check))
        {
            foreach (var e in plans)
            {
                Console.Error.WriteLine($"voxtile: check of the {PlanName(e)} plan:");
                Console.Error.Write(e.Check.Format());
            }
            var first = plans.Select(e => e.Check.FirstBelow).FirstOrDefault(f => f is not null);
            if (first is not null)
                Console.Error.WriteLine($"voxtile: check: first failing op (PCC below {plans.First().Check.Bar} or NaN, or NaN/inf in its output): step {first.Step} {first.Op} → %{first.Output} (PCC {first.Pcc:F6}{(first.NonFinite > 0 ? $", {first.NonFinite} NaN/inf" : "")})");
        }
        if (trace is not null && r.GetValue(Trace) is { } path)
        {
            trace.Write(path);
            Console.Error.WriteLine($"voxtile: wrote the trace {path} ({trace.Count} events; open it in ui.perfetto.dev)");
        }
    }

    /// <summary>A plan as the report names it: its graph and bucket, "voice_conversion (1024 frames)".</summary>
    private static string PlanName(Executor e) =>
        $"{e.Plan.Plan.Options.GetValueOrDefault("graph", "plan")} ({string.Join(", ", e.Plan.Plan.Bucket.Select(b => $"{b.Value} {b.Key}"))})";

    private static Option<string> Choice(string name, string description, params string[] values)
    {
        var o = new Option<string>(name) { Description = description, DefaultValueFactory = _ => values[0] };
        o.AcceptOnlyFromAmong(values);
        return o;
    }
}
