using VoxTile.IR;
using VoxTile.IR.Text;
using VoxTile.Lowering.Plan;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Emit;

/// <summary>
/// How an emitted program spreads a plan over its target's chips (ttnn-api-notes §7, data parallel): the plan is one
/// chip's program for a per-chip batch b (<c>Bucket["batch"]</c>, 1 when absent); every chip of a
/// <see cref="Rows"/>×<see cref="Cols"/> mesh runs it on its share, so the program's inputs and outputs carry
/// <see cref="Chips"/>·b items on dim 0, sharded over the chips on the way in and concatenated on the way out;
/// weights are replicated. One chip (n150, p150) is the 1×1 case: the program's shapes are the plan's.
/// </summary>
internal sealed record MeshPlacement(int Rows, int Cols, int Batch)
{
    public int Chips => Rows * Cols;

    /// <summary>The program's shape of a plan input or output of per-chip shape <paramref name="perChip"/>: dim 0 times the chips.</summary>
    public int[] Global(int[] perChip) => Chips == 1 ? perChip : [perChip[0] * Chips, .. perChip[1..]];

    /// <summary>The mesh of <paramref name="plan"/>'s target (1×1 for a target this VoxTile does not know); throws when a mesh cannot shard the plan's inputs or outputs on dim 0.</summary>
    public static MeshPlacement Of(DevicePlan plan, TargetSpec? target)
    {
        int batch = plan.Bucket.TryGetValue("batch", out var b) ? b : 1;
        if (batch < 1) throw new VoxTileException($"the plan records batch {batch}: a batch is at least 1");
        var mesh = new MeshPlacement(target?.MeshRows ?? 1, target?.MeshCols ?? 1, batch);
        if (mesh.Chips == 1) return mesh;
        foreach (var (id, what) in plan.Inputs.Select(i => (i, "input")).Concat(plan.Outputs.Select(o => (o, "output"))))
        {
            var t = plan.Tensor(id);
            var shape = Parser.ParseType(t.Type).Shape.ToArray();
            if (shape.Length == 0 || shape[0] != batch)
                throw new VoxTileException($"plan {what} {t.Name} [{string.Join(",", shape)}] does not have the per-chip batch {batch} as dim 0: " +
                    $"a {plan.Target} program shards dim 0 over its {mesh.Chips} chips");
        }
        return mesh;
    }

    /// <summary>Chip <paramref name="chip"/>'s share of a program-shaped tensor: its slice of dim 0.</summary>
    public Tensor Share(Tensor global, int chip)
    {
        if (Chips == 1) return global;
        if (global.Rank == 0 || global.Shape[0] % Chips != 0)
            throw new VoxTileException($"a tensor of shape {global.ShapeString} does not split over {Chips} chips on dim 0");
        int[] shape = [global.Shape[0] / Chips, .. global.Shape[1..]];
        long count = Tensor.Count(shape);
        return new Tensor(shape, global.Data.AsSpan((int)(chip * count), (int)count).ToArray());
    }

    /// <summary>The chips' values of one tensor, concatenated on dim 0 in chip order (what <c>ttnn.ConcatMeshToTensor(mesh, dim=0)</c> reads back).</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> perChip)
    {
        if (perChip.Count == 1) return perChip[0];
        var first = perChip[0];
        int[] shape = first.Rank == 0 ? [perChip.Count] : [first.Shape[0] * perChip.Count, .. first.Shape[1..]];
        var data = new float[Tensor.Count(shape)];
        for (int k = 0; k < perChip.Count; k++) perChip[k].Data.CopyTo(data, k * first.Length);
        return new Tensor(shape, data);
    }
}
