namespace VoxTile.IR.Ops.Movement;

/// <summary>
/// A new shape for the same row-major data. One entry may be −1 (the rest); with a symbolic input the −1 keeps the
/// symbol when the sizes allow (for [1, C, T] → [1, 1, C, T] and back).
/// </summary>
[Op("nn.reshape", "input")]
public sealed partial class Reshape : Op
{
    [Attr] public required int[] Shape { get; init; }

    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (Shape.Count(d => d == -1) > 1 || Shape.Any(d => d < -1)) return TypeResult.Fail($"shape [{string.Join(",", Shape)}] may hold one −1 and no other negative size");
        long known = Shape.Where(d => d >= 0).Aggregate(1L, (a, d) => a * d);
        var s = t[0].Shape;
        long fixedIn = s.Where(d => d.IsFixed).Aggregate(1L, (a, d) => a * d.Value);
        var free = s.Where(d => !d.IsFixed).ToList();
        Dim rest;
        if (free.Count == 0)
        {
            if (Shape.Contains(-1))
            {
                if (known == 0 || fixedIn % known != 0) return TypeResult.Fail($"cannot reshape {s} to [{string.Join(",", Shape)}]");
                rest = (int)(fixedIn / known);
            }
            else if (known != fixedIn) return TypeResult.Fail($"cannot reshape {s} ({fixedIn} values) to [{string.Join(",", Shape)}]");
            else rest = 0;
        }
        else
        {
            if (!Shape.Contains(-1)) return TypeResult.Fail($"reshaping the symbolic {s} needs a −1 entry");
            rest = free.Count == 1 && free[0].IsSymbolic && known != 0 && fixedIn * free[0].Scale % known == 0
                ? Dim.Sym(free[0].Symbol!, (int)(fixedIn * free[0].Scale / known))
                : Dim.Unknown;
        }
        return new TensorType(t[0].DType, new IR.Shape(Shape.Select(d => d == -1 ? rest : Dim.Of(d))));
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var x = inputs[0];
        var shape = (int[])Shape.Clone();
        int idx = Array.IndexOf(shape, -1);
        if (idx >= 0)
        {
            long known = shape.Where(d => d >= 0).Aggregate(1L, (a, d) => a * d);
            if (known == 0 || x.Length % known != 0) throw new VoxTileException($"cannot reshape {x.ShapeString} to [{string.Join(",", Shape)}]");
            shape[idx] = (int)(x.Length / known);
        }
        if (Tensor.Count(shape) != x.Length) throw new VoxTileException($"cannot reshape {x.ShapeString} to [{string.Join(",", Shape)}]");
        return new Tensor(shape, x.Data);
    }
}
