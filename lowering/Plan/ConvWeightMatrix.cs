using VoxTile.IR;
using VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Plan;

/// <summary>
/// How a block-float conv weight sits in a plan: as TTNN prepares it for <c>Conv2dConfig.weights_dtype</c>
/// (tt-metal prepare_conv2d_weights.cpp: the OIHW weight becomes the matrix [KH·KW·C_in/groups, C_out], row
/// (kh·KW + kw)·C_in + c, column o, tiled, then <c>pack_as_bfp8_tiles</c>). So every shared exponent covers 16
/// consecutive output channels at one tap and input channel, exactly as on the card: TTNN re-packing these values
/// from the host weight changes no bit, and the CPU runtime computes with the values the card holds. The tensor's
/// type keeps the conv's logical shape [C_out, C_in/groups, (KH,) KW]; only its bytes are in this order.
/// A conv weight is the one kind of weight that stays on the host (no memory config) with rank 3 or 4.
/// </summary>
public static class ConvWeightMatrix
{
    /// <summary>Whether a weight of this type is stored as TTNN's conv weight matrix.</summary>
    public static bool Holds(TensorType t) =>
        t.DType.IsBlockFloat() && t.Memory is null && t.Rank is 3 or 4 && t.Shape.IsFixed;

    /// <summary>[taps·C_in/groups, C_out] of a weight shaped [C_out, C_in/groups, (KH,) KW].</summary>
    public static int[] Shape(ReadOnlySpan<int> weight)
    {
        int taps = 1;
        for (int i = 2; i < weight.Length; i++) taps *= weight[i];
        return [taps * weight[1], weight[0]];
    }

    /// <summary>The matrix of <paramref name="w"/> ([C_out, C_in/groups, (KH,) KW] → [taps·C_in/groups, C_out]).</summary>
    public static Tensor Of(Tensor w)
    {
        int cout = w.Shape[0], cin = w.Shape[1], taps = (int)(w.Length / ((long)cout * cin));
        var m = new Tensor(Shape(w.Shape));
        for (int o = 0; o < cout; o++)
            for (int c = 0; c < cin; c++)
                for (int k = 0; k < taps; k++)
                    m.Data[((long)k * cin + c) * cout + o] = w.Data[((long)o * cin + c) * taps + k];
        return m;
    }

    /// <summary>The weight of shape <paramref name="shape"/> back from its matrix.</summary>
    public static Tensor Weight(Tensor matrix, int[] shape)
    {
        var w = new Tensor(shape);
        int cout = shape[0], cin = shape[1], taps = (int)(w.Length / ((long)cout * cin));
        for (int o = 0; o < cout; o++)
            for (int c = 0; c < cin; c++)
                for (int k = 0; k < taps; k++)
                    w.Data[((long)o * cin + c) * taps + k] = matrix.Data[((long)k * cin + c) * cout + o];
        return w;
    }
}
