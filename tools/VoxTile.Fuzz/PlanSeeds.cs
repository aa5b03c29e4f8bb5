using VoxTile.IR.Text;
using VoxTile.Lowering.Plan;

namespace VoxTile.Fuzz;

/// <summary>
/// The plan corpus's seeds, written by the real writer (a plan's JSON header and checksum are not worth keeping by
/// hand): a unary op for a card and for the CPU runtime, and a binary op with a packed bf16 weight in the blob.
/// </summary>
public static class PlanSeeds
{
    public static void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        PlanFile.Write(Path.Combine(folder, "relu-n150.vtp"), Unary("wormhole_n150"));
        PlanFile.Write(Path.Combine(folder, "relu-cpu.vtp"), Unary("cpu"));
        PlanFile.Write(Path.Combine(folder, "add-weight-n150.vtp"), WithWeight());
    }

    private static DevicePlan Unary(string target) => new()
    {
        Target = target,
        Model = "seed",
        ModelHash = "0",
        Graph = "seed",
        Tensors = [new PlanTensor(0, "x", "bf16[1,1,32,64]{tile,dram}", PlanTensorKind.Input), new PlanTensor(1, "y", "bf16[1,1,32,64]{tile,l1}", PlanTensorKind.Activation)],
        Inputs = [0],
        Outputs = [1],
        Steps =
        [
            new PlanStep { Op = "ttnn.relu", Inputs = [0], Output = 1, Origin = "y", Attributes = new Dictionary<string, string>() },
            new PlanStep { Op = PlanStep.Deallocate, Inputs = [0], Attributes = new Dictionary<string, string> { ["force"] = "false" } },
        ],
    };

    private static DevicePlan WithWeight()
    {
        const string type = "bf16[1,1,32,32]{tile,dram}";
        var bytes = (int)WeightPacking.PackedBytes(Parser.ParseType(type));
        var blob = new byte[bytes];
        for (int i = 0; i < blob.Length; i += 2) blob[i + 1] = 0x3F; // bf16 0.5..1: finite weights
        return new DevicePlan
        {
            Target = "wormhole_n150",
            Model = "seed",
            ModelHash = "1",
            Graph = "seed",
            Tensors =
            [
                new PlanTensor(0, "x", type, PlanTensorKind.Input),
                new PlanTensor(1, "w", type, PlanTensorKind.Weight, 0, blob.Length, "enc.w"),
                new PlanTensor(2, "y", type, PlanTensorKind.Activation),
            ],
            Inputs = [0],
            Outputs = [2],
            Steps = [new PlanStep { Op = "ttnn.add", Inputs = [0, 1], Output = 2, Origin = "y", Attributes = new Dictionary<string, string>() }],
            Blob = blob,
        };
    }
}
