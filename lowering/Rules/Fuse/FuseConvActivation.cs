using VoxTile.IR;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Targets;

namespace VoxTile.Lowering.Rules.Fuse;

/// <summary>
/// <c>relu | leaky_relu | tanh | sigmoid (conv(x))</c>, the conv read by nothing else → the conv with that activation:
/// on a card <c>ttnn.conv1d</c>'s conv config runs it (<c>Conv2dConfig(activation=UnaryWithParam(…))</c>), on the CPU
/// vt_conv1d applies it as the result is stored. A HiFi-GAN ResBlock's second leaky_relu and the decoder's final tanh
/// are such activations. Every target.
/// </summary>
public sealed class FuseConvActivation : IFuseRule
{
    public string Name => "fuse-conv-activation";

    public bool AppliesTo(TargetSpec target) => true;

    public Node? Rewrite(Node node, FuseContext cx)
    {
        var (activation, param) = node.Op switch
        {
            Relu => (ConvActivation.Relu, 0f),
            LeakyRelu l => (ConvActivation.LeakyRelu, l.NegativeSlope),
            Tanh => (ConvActivation.Tanh, 0f),
            Sigmoid => (ConvActivation.Sigmoid, 0f),
            _ => (ConvActivation.None, 0f),
        };
        if (activation == ConvActivation.None) return null;
        if (ConvPatterns.Behind(node.Inputs[0], node, cx) is not { Conv: var f }) return null;
        if (f.Activation != ConvActivation.None || f.HasEpilogueAfterActivation) return null;
        return (f with { Activation = activation, ActivationParam = param }).Replacing(node);
    }
}
