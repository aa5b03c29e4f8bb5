using VoxTile.IR;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Costs;

/// <summary>
/// Per-chip and whole-mesh figures of data-parallel plans: a plan compiled for a target of C chips is the one-chip
/// program run on every chip with its per-chip batch b (<c>plan.Bucket["batch"]</c>, 1 when absent), so the mesh
/// serves C·b items per run; the weights are replicated (each chip's DRAM must hold them and its activations); the
/// device time is one chip's; the host writes every chip's inputs and reads every chip's outputs (<see cref="HostCost"/>).
/// </summary>
public static class MeshCost
{
    /// <summary>The per-chip batch a plan was built for.</summary>
    public static int BatchOf(DevicePlan plan) => plan.Bucket.TryGetValue("batch", out var b)
        ? b > 0 ? b : throw new VoxTileException($"plan for {plan.Graph}: batch must be positive, got {b}")
        : 1;

    /// <summary>One plan on <paramref name="target"/>'s mesh, each item holding <paramref name="audioSecondsPerItem"/> of audio.</summary>
    public static MeshFigures Of(DevicePlan plan, TargetSpec target, double audioSecondsPerItem) => Pipeline([plan], target, audioSecondsPerItem);

    /// <summary>
    /// Plans run one after another on every chip for each batch (MeloTTS, then the converter on its speech): each
    /// chip holds every stage's weights, and the DRAM peak is theirs plus the largest stage's activations (a stage's
    /// activations are freed before the next runs). The stages must share the per-chip batch.
    /// </summary>
    public static MeshFigures Pipeline(IReadOnlyList<DevicePlan> stages, TargetSpec target, double audioSecondsPerItem)
    {
        if (stages.Count == 0) throw new VoxTileException("a mesh figure needs at least one plan");
        if (!(audioSecondsPerItem > 0)) throw new VoxTileException($"audio per item must be positive, got {audioSecondsPerItem}");
        int batch = BatchOf(stages[0]);
        foreach (var p in stages)
        {
            if (BatchOf(p) != batch)
                throw new VoxTileException($"plans of one pipeline must share the per-chip batch: {stages[0].Graph} has {batch}, {p.Graph} has {BatchOf(p)}");
            var chip = TargetSpec.Parse(p.Target).ChipName;
            if (chip != target.ChipName)
                throw new VoxTileException($"plan for {p.Graph} was compiled for {p.Target} ({chip} chips), not for {target.Name}'s {target.ChipName} chips");
        }
        var runs = stages.Select(p => HostCost.Of(p, target)).ToList();
        long weights = stages.Sum(p => p.Summary.WeightBytes);
        return new MeshFigures
        {
            Target = target.Name,
            Chips = target.Chips,
            BatchPerChip = batch,
            WeightBytesPerChip = weights,
            PeakDramBytesPerChip = weights + stages.Max(PlanDram.PeakActivationBytes),
            DramBytesPerChip = target.DramBytes,
            WeightUploadSeconds = target.IsTenstorrent ? HostCost.Transfer(0, weights, target) : 0,
            DeviceSecondsPerChip = stages.Sum(p => p.Summary.ModeledSeconds),
            RooflineSecondsPerChip = stages.Sum(p => p.Summary.RooflineSeconds),
            Run = Sum(runs),
            AudioSecondsPerItem = audioSecondsPerItem,
        };
    }

    private static RunCost Sum(IReadOnlyList<RunCost> runs) => new()
    {
        DeviceSeconds = runs.Sum(r => r.DeviceSeconds),
        DevicePrograms = runs.Sum(r => r.DevicePrograms),
        DispatchSeconds = runs.Sum(r => r.DispatchSeconds),
        InputBytesPerChip = runs.Sum(r => r.InputBytesPerChip),
        OutputBytesPerChip = runs.Sum(r => r.OutputBytesPerChip),
        UploadSeconds = runs.Sum(r => r.UploadSeconds),
        ReadbackSeconds = runs.Sum(r => r.ReadbackSeconds),
        TracedSeconds = runs.Sum(r => r.TracedSeconds),
        UntracedSeconds = runs.Sum(r => r.UntracedSeconds),
    };
}
