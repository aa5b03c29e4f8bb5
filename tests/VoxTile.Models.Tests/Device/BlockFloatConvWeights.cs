using VoxTile.Runtime.Execution;

namespace VoxTile.Models.Tests.Device;

/// <summary>
/// What a bfp8_b parity figure rests on: the plans compiled with bfp8_b weights and bf16 activations hold every
/// ungrouped conv1d weight (ttnn.conv1d, or the cpu target's fused cpu.conv1d) in bfp8_b (grouped ones that split a block of 16 output channels keep bf16, see
/// lowering's ConvOperands), so the figure measures block-float conv weights, not bf16 ones.
/// </summary>
internal static class BlockFloatConvWeights
{
    /// <summary>Asserts the above and returns how many conv weights are bfp8_b and how many convs there are.</summary>
    public static (int BlockFloat, int Convs) AssertPacked(IEnumerable<Executor> executors)
    {
        int packed = 0, convs = 0;
        foreach (var e in executors)
        {
            var plan = e.Plan.Plan;
            if (plan.Options.GetValueOrDefault("weights") != "bfp8_b" || plan.Options.GetValueOrDefault("activations") != "bf16") continue;
            foreach (var s in plan.Steps.Where(s => s.Op is "ttnn.conv1d" or "cpu.conv1d"))
            {
                convs++;
                var weight = plan.Tensors[s.Inputs[1]];
                bool block = weight.Type.StartsWith("bfp8_b[", StringComparison.Ordinal);
                if (block) packed++;
                else Assert.True(s.Attributes["groups"] != "1", $"{s.Origin}: an ungrouped conv with {weight.Type} weights in a bfp8_b plan");
            }
        }
        Assert.True(packed > 0, "no bfp8_b conv weight in the bfp8_b plans");
        return (packed, convs);
    }
}
