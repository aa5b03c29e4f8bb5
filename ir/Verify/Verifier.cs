using VoxTile.IR.Ops.Graph;

namespace VoxTile.IR.Verify;

/// <summary>
/// Checks a graph's invariants: operand counts, every value's type equal (dtype and shape) to what its op infers
/// from its operands, inputs only where declared, and, when given, that only legal ops remain (after legalization).
/// </summary>
public static class Verifier
{
    public static IReadOnlyList<string> Check(Graph g, Func<Op, bool>? isLegal = null, string? legalWhat = null)
    {
        var errors = new List<string>();
        foreach (var n in g.Nodes)
        {
            var where = n.Name is null ? n.Op.Name : $"%{n.Name} ({n.Op.Name})";
            if (n.Op is Input) { errors.Add($"{where}: an input among the computed values"); continue; }
            if (n.Op is Weight) { if (isLegal is not null && !isLegal(n.Op)) errors.Add($"{where}: not legal {legalWhat}"); continue; }
            if (!n.Op.AcceptsOperandCount(n.Inputs.Length)) { errors.Add($"{where}: {n.Inputs.Length} operands"); continue; }
            var r = n.Op.InferType([.. n.Inputs.Select(i => i.Type)]);
            if (!r.Ok) errors.Add($"{where}: {r.Error}");
            else if (r.Type!.DType != n.Type.DType || !r.Type.Shape.Equals(n.Type.Shape))
                errors.Add($"{where}: typed {n.Type} but the op infers {r.Type}");
            if (isLegal is not null && !isLegal(n.Op)) errors.Add($"{where}: op {n.Op.Name} is not legal {legalWhat}");
        }
        return errors;
    }

    public static void VerifyOrThrow(Graph g, Func<Op, bool>? isLegal = null, string? legalWhat = null)
    {
        var errors = Check(g, isLegal, legalWhat);
        if (errors.Count > 0)
            throw new VoxTileException($"graph @{g.Name} fails verification: {errors[0]}" + (errors.Count > 1 ? $" (and {errors.Count - 1} more)" : ""));
    }
}
