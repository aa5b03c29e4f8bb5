namespace VoxTile.IR.Ops.Movement;

public enum PadMode { Constant, Reflect }

/// <summary>
/// Pads the last axis: <c>left</c> and <c>right</c> values, either a constant or a reflection without repeating the
/// edge (torch's reflect, which needs left and right smaller than the length).
/// </summary>
[Op("nn.pad", "input")]
public sealed partial class Pad : Op
{
    [Attr] public int Left { get; init; }
    [Attr] public int Right { get; init; }
    [Attr] public PadMode Mode { get; init; } = PadMode.Constant;
    [Attr] public float Value { get; init; }

    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        if (t[0].Rank < 1 || Left < 0 || Right < 0) return TypeResult.Fail("needs an axis to pad and non-negative pads");
        var len = t[0].Shape[-1];
        if (Mode == PadMode.Reflect && len.IsFixed && (Left >= len.Value || Right >= len.Value))
            return TypeResult.Fail($"reflect padding of {Left}/{Right} needs more than {Math.Max(Left, Right)} values, got {len}");
        return new TensorType(t[0].DType, t[0].Shape.With(-1, len.Map(l => l + Left + Right, preserves: Left + Right == 0)));
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var x = inputs[0];
        int len = x.Shape[^1], outLen = len + Left + Right;
        if (Mode == PadMode.Reflect && (Left >= len || Right >= len))
            throw new VoxTileException($"reflect padding of {Left}/{Right} needs more than {Math.Max(Left, Right)} values, got {len}");
        var shape = (int[])x.Shape.Clone();
        shape[^1] = outLen;
        var y = new Tensor(shape);
        long rows = Tensor.Count(x.Shape.AsSpan(0, x.Rank - 1)); // not Length / len: an empty axis still gets its padding
        for (long r = 0; r < rows; r++)
        {
            var src = x.Data.AsSpan((int)(r * len), len);
            var dst = y.Data.AsSpan((int)(r * outLen), outLen);
            src.CopyTo(dst[Left..]);
            for (int i = 0; i < Left; i++) dst[i] = Mode == PadMode.Reflect ? src[Left - i] : Value;
            for (int i = 0; i < Right; i++) dst[Left + len + i] = Mode == PadMode.Reflect ? src[len - 2 - i] : Value;
        }
        return y;
    }
}
