namespace VoxTile.IR.Ops.Movement;

/// <summary>Permutes the axes: output axis i is input axis perm[i] (torch.permute).</summary>
[Op("nn.transpose", "input")]
public sealed partial class Transpose : Op
{
    [Attr] public required int[] Perm { get; init; }

    public override TypeResult InferType(IReadOnlyList<TensorType> t)
    {
        int r = t[0].Rank;
        if (Perm.Length != r || Perm.Order().Where((p, i) => p != i).Any()) return TypeResult.Fail($"perm [{string.Join(",", Perm)}] is not a permutation of {r} axes");
        return new TensorType(t[0].DType, new IR.Shape(Perm.Select(p => t[0].Shape[p])));
    }

    public override Tensor Evaluate(IReadOnlyList<Tensor> inputs)
    {
        var x = inputs[0];
        int r = x.Rank;
        var shape = Perm.Select(p => x.Shape[p]).ToArray();
        var y = new Tensor(shape);
        var inStrides = Tensor.Strides(x.Shape);
        var src = Perm.Select(p => inStrides[p]).ToArray(); // input stride of each output axis
        int inner = r == 0 ? 1 : shape[r - 1];
        long rows = inner == 0 ? 0 : y.Length / inner;
        long innerStride = r == 0 ? 1 : src[r - 1];
        Par.For((int)rows, y.Length, row =>
        {
            long off = 0, rem = row;
            for (int d = r - 2; d >= 0; d--) { off += rem % shape[d] * src[d]; rem /= shape[d]; }
            long dst = row * inner;
            for (int i = 0; i < inner; i++) y.Data[dst + i] = x.Data[off + i * innerStride];
        });
        return y;
    }
}
