using System.Diagnostics;
using VoxTile.IR;
using VoxTile.Lowering;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Plan;
using VoxTile.Runtime.Cache;
using VoxTile.Runtime.Execution;

namespace VoxTile.Models.Device;

/// <summary>
/// What the device backends share: a graph's plan from the <see cref="PlanCache"/> (compiled on a miss), loaded and
/// bound to an <see cref="Executor"/> with the backend's options, and the seconds each part took.
/// </summary>
internal sealed class DevicePlanLoader(DeviceBackendOptions options)
{
    /// <summary>Seconds spent compiling (cache misses) and loading plans.</summary>
    public double CompileSeconds { get; private set; }

    public double LoadSeconds { get; private set; }

    /// <param name="what">the graph in words, for the compile note ("voice_conversion for 640 frames").</param>
    /// <param name="model">the plan's model line.</param>
    /// <param name="bucket">the sizes the graph is built for, recorded in the plan (its frames, if any, enter the cache key).</param>
    /// <param name="settings">everything besides the model, target, frames and dtypes that changes the graph (the cache key's rest).</param>
    /// <param name="planner">the planner's options (null: the defaults); shorter conv act blocks enter the cache key (a plan cached before them is not reused).</param>
    public Executor Load(string what, Func<Graph> build, string model, string modelHash, IReadOnlyDictionary<string, int> bucket, string settings, IEnumerable<string> keep,
        Lowering.Planning.PlannerOptions? planner = null)
    {
        planner ??= Lowering.Planning.PlannerOptions.Default;
        if (planner.ShrinkConvActBlocks) settings += ";act_blocks=shrink";
        var (weights, activations) = options.DTypes;
        var keepSet = new HashSet<string>(keep, StringComparer.Ordinal);
        var sw = Stopwatch.StartNew();
        DevicePlan Compile()
        {
            options.Note?.Invoke($"compiling {what} ({options.DType}, {options.Target.Name})");
            var graph = build();
            return Compiler.Compile(graph, new CompileOptions
            {
                Settings = new Dictionary<string, string> { ["graph"] = graph.Name },
                Target = options.Target,
                Model = model,
                ModelHash = modelHash,
                Lowering = new LoweringOptions { WeightDType = weights, ActivationDType = activations, Keep = keepSet, Planner = planner },
                Bucket = bucket,
                StageStarting = (k, n, stage) => options.Stage?.Invoke($"compiling {what}: stage {k} of {n}, {stage}"),
            }).Plan;
        }
        // A batch changes every shape: batch-B plans are cached apart (batch 1 keeps the key it always had).
        if (bucket.GetValueOrDefault("batch", 1) is var batch and > 1) settings += $";batch={batch}";
        var key = PlanCache.Key(modelHash, options.Target.Name, bucket.GetValueOrDefault("frames"), weights.Name(), activations.Name(), settings);
        var plan = options.Cache is { } cache ? cache.GetOrCompile(key, Compile, options.Note) : Compile();
        CompileSeconds += sw.Elapsed.TotalSeconds;
        sw.Restart();
        options.Stage?.Invoke($"loading the plan for {what}");
        var loaded = PlanLoader.Load(plan, options.Target, options.Cache?.PathOf(key) ?? "the compiled plan");
        var ex = new Executor(loaded, new ExecutorOptions
        {
            PlanLayouts = options.PlanLayouts,
            Check = options.Check,
            AllowHost = options.AllowHost,
            Threads = options.Threads,
            Trace = options.Trace,
            Keep = keepSet,
        });
        LoadSeconds += sw.Elapsed.TotalSeconds;
        // The plan's weight blob and the compiler's graphs are garbage now: give their memory back.
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect();
        return ex;
    }
}
