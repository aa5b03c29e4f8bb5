using VoxTile.IR;
using VoxTile.IR.Text;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Planning;

namespace VoxTile.Lowering.Costs;

/// <summary>
/// The most DRAM one chip holds while a plan runs: its weights (all resident: conv weights held on the host are
/// prepared into DRAM by TTNN on the first call) plus the peak of the DRAM-placed inputs and activations, each live
/// from the step that writes it to its deallocation (a view's buffer to the last deallocation of a tensor holding it).
/// The trace region and TTNN's own buffers are not counted.
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
        // A view holds its operand's buffer (ReshapeViews): the buffer goes when the last tensor holding it is freed.
        var bufferOf = new Dictionary<int, int>();
        var holders = new Dictionary<int, int>();
        int Buffer(int id) => bufferOf.TryGetValue(id, out var b) ? b : id;
        foreach (var s in plan.Steps)
        {
            if (s.IsDeallocate)
            {
                foreach (var i in s.Inputs.Where(i => plan.Tensor(i).Kind != PlanTensorKind.Weight))
                {
                    int b = Buffer(i);
                    int left = holders.GetValueOrDefault(b, 1) - 1;
                    holders[b] = left;
                    if (left == 0) live -= Size(b);
                }
                continue;
            }
            if (ReshapeViews.IsView(plan, s))
            {
                int b = Buffer(s.Inputs[0]);
                bufferOf[s.Output] = b;
                holders[b] = holders.GetValueOrDefault(b, 1) + 1;
                continue;
            }
            if (s.Output >= 0 && plan.Tensor(s.Output).Kind != PlanTensorKind.Weight) live += Size(s.Output);
            peak = Math.Max(peak, live);
        }
        return peak;
    }
}
