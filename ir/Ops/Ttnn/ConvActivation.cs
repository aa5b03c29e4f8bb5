namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// An activation a convolution applies to its own result (conv + bias), the way TTNN's
/// <c>Conv2dConfig(activation=ttnn.UnaryWithParam(…))</c> fuses one (../shared/spec/ttnn-api-notes.md §8). The first
/// five are what <c>ttnn.conv1d</c> may carry; <see cref="GatedTanhSigmoid"/> (WaveNet's tanh(a)·sigmoid(b) over the
/// two halves of the channels) exists only in the CPU target's <c>cpu.conv1d</c>.
/// </summary>
public enum ConvActivation
{
    None,
    Relu,
    LeakyRelu,
    Tanh,
    Sigmoid,
    GatedTanhSigmoid,
}

/// <summary>The fp32 reference of a fused activation, applied in place.</summary>
public static class ConvActivations
{
    /// <summary>
    /// Applies <paramref name="a"/> with <paramref name="param"/> (leaky_relu's slope) to every element, with the very
    /// reference of the ttnn op it stands for, so a fused graph interprets exactly as the unfused one.
    /// </summary>
    public static void Apply(ConvActivation a, float param, Span<float> values)
    {
        if (a == ConvActivation.None) return;
        TtnnUnaryOp op = a switch
        {
            ConvActivation.Relu => new Relu(),
            ConvActivation.LeakyRelu => new LeakyRelu { NegativeSlope = param },
            ConvActivation.Tanh => new Tanh(),
            ConvActivation.Sigmoid => new Sigmoid(),
            _ => throw new ArgumentException($"{a} is not an elementwise activation"),
        };
        foreach (ref var v in values) v = op.Apply(v);
    }

    /// <summary>The activations <c>ttnn.conv1d</c>'s conv config takes (the portable set plus leaky_relu, whose slope is its one parameter).</summary>
    public static bool IsTtnnFusable(ConvActivation a) => a is ConvActivation.Relu or ConvActivation.LeakyRelu or ConvActivation.Tanh or ConvActivation.Sigmoid;
}
