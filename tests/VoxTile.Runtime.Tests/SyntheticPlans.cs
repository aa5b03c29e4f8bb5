using VoxTile.IR;
using VoxTile.Lowering.Plan;

namespace VoxTile.Runtime.Tests;

/// <summary>Small hand-written device plans: an input, one op, its output.</summary>
internal static class SyntheticPlans
{
    /// <summary>%x (DRAM) → <paramref name="op"/> → %y placed as <paramref name="outputType"/>.</summary>
    public static DevicePlan Unary(string op, string inputType, string outputType, string target = "wormhole_n150",
        IReadOnlyDictionary<string, string>? attributes = null) => new()
    {
        Target = target,
        Model = "synthetic",
        ModelHash = "0",
        Graph = "synthetic",
        Tensors =
        [
            new PlanTensor(0, "x", inputType, PlanTensorKind.Input),
            new PlanTensor(1, "y", outputType, PlanTensorKind.Activation),
        ],
        Inputs = [0],
        Outputs = [1],
        Steps =
        [
            new PlanStep { Op = op, Inputs = [0], Output = 1, Origin = "y", Attributes = attributes ?? new Dictionary<string, string>() },
            new PlanStep { Op = PlanStep.Deallocate, Inputs = [0], Attributes = new Dictionary<string, string> { ["force"] = "false" } },
        ],
    };

    public static Tensor Ramp(params int[] shape)
    {
        var t = new Tensor(shape);
        for (int i = 0; i < t.Length; i++) t.Data[i] = (i % 97) / 48f - 1f;
        return t;
    }
}
