using VoxTile.IR;
using VoxTile.IR.Text;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Planning;

namespace VoxTile.Lowering.Costs;

/// <summary>
/// The most DRAM one chip holds while a plan runs: its weights (all resident: conv weights held on the host are
/// prepared into DRAM by TTNN on the first call) plus the peak of the DRAM-placed inputs and activations, each live
/// from the step that writes it to its deallocation. The trace region and TTNN's own buffers are not counted.
/// </summary>
public static class PlanDram
{
    public static long PeakBytes(DevicePlan plan) => plan.Summary.WeightBytes + PeakActivationBytes(plan);

    /// <summary>The peak of the DRAM-placed inputs and activations alone.</summary>
    public static long PeakActivationBytes(DevicePlan plan)
    {
        var dram = new Dictionary<int, long>();
        long Size(int id)
        {
            if (dram.TryGetValue(id, out var b)) return b;
            var t = Parser.ParseType(plan.Tensor(id).Type);
            b = t.Memory is { Buffer: BufferType.Dram } ? TensorFootprint.TotalBytes(t) : 0;
            dram[id] = b;
            return b;
        }
        long live = plan.Inputs.Sum(Size), peak = live;
        foreach (var s in plan.Steps)
        {
            if (s.IsDeallocate)
            {
                foreach (var i in s.Inputs.Where(i => plan.Tensor(i).Kind != PlanTensorKind.Weight)) live -= Size(i);
                continue;
            }
            if (ReshapeViews.IsView(plan, s))
            {
                dram[s.Output] = 0; // shares its operand's buffer
                continue;
            }
            if (s.Output >= 0 && plan.Tensor(s.Output).Kind != PlanTensorKind.Weight) live += Size(s.Output);
            peak = Math.Max(peak, live);
        }
        return peak;
    }
}
