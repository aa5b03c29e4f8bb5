using VoxTile.Lowering.Plan;

namespace VoxTile.Lowering.Tests.Costs;

/// <summary>
/// A small plan for the host and mesh figures: one bf16 input of [batch, 32, 1024] in DRAM, <paramref name="ops"/> steps of
/// one op each taking <paramref name="deviceSeconds"/>, each freeing the one before, and the last step's result as the
/// output; <paramref name="batch"/> recorded as the plan's <c>Bucket["batch"]</c> (absent when null, meaning 1).
/// </summary>
internal static class SyntheticPlan
{
    /// <summary>Bytes of the input (and of the output): [b, 32, 1024] bf16 in whole tiles.</summary>
    public static long TensorBytes(int batch) => batch * 32L * 1024 * 2;

    public static DevicePlan Build(int ops, double deviceSeconds, string op = "ttnn.add", int? batch = null, long weightBytes = 1_000_000,
        string target = "wormhole_n150")
    {
        int b = batch ?? 1;
        string type = $"bf16[{b},32,1024]{{tile,dram}}";
        var tensors = new List<PlanTensor> { new(0, "x", type, PlanTensorKind.Input) };
        var steps = new List<PlanStep>();
        for (int i = 1; i <= ops; i++)
        {
            tensors.Add(new PlanTensor(i, $"y{i}", type, PlanTensorKind.Activation));
            steps.Add(new PlanStep { Op = op, Inputs = [i - 1, i - 1], Output = i, ModeledSeconds = deviceSeconds });
            if (i > 1) steps.Add(new PlanStep { Op = PlanStep.Deallocate, Inputs = [i - 1] });
        }
        var bucket = new Dictionary<string, int> { ["frames"] = 32 };
        if (batch is { } given) bucket["batch"] = given;
        return new DevicePlan
        {
            Target = target,
            Model = "synthetic",
            ModelHash = "0123456789abcdef",
            Graph = $"synthetic_{op}",
            Bucket = bucket,
            Tensors = tensors,
            Inputs = [0],
            Outputs = [ops],
            Steps = steps,
            Summary = new PlanSummary { ModeledSeconds = ops * deviceSeconds, RooflineSeconds = ops * deviceSeconds / 2, WeightBytes = weightBytes },
        };
    }
}
