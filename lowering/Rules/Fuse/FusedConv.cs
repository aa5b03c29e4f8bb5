using VoxTile.IR;
using VoxTile.IR.Ops.Ttnn;
using Cpu = VoxTile.IR.Ops.Cpu;
using Tt = VoxTile.IR.Ops.Ttnn;

namespace VoxTile.Lowering.Rules.Fuse;

/// <summary>
/// A 1-D convolution with what has been fused into it so far, read from a <c>ttnn.conv1d</c> or <c>cpu.conv1d</c>
/// node and written back as the simplest op that holds it: <c>ttnn.conv1d</c> while it carries no more than a
/// TTNN-fusable activation, <c>cpu.conv1d</c> otherwise.
/// </summary>
internal sealed record FusedConv
{
    /// <summary>The geometry (no activation).</summary>
    public required Tt.Conv1d Geometry { get; init; }
    public required Node Input { get; init; }
    public required Node Weight { get; init; }
    public Node? Bias { get; init; }
    public Node? BiasAdd { get; init; }
    public Node? Residual { get; init; }
    public Node? InputMask { get; init; }
    public Node? OutputMask { get; init; }
    public ConvActivation InputActivation { get; init; }
    public float InputActivationParam { get; init; }
    public ConvActivation Activation { get; init; }
    public float ActivationParam { get; init; }

    /// <summary>The result's dtype (the input's, as ttnn.conv1d infers it).</summary>
    public DType DType => Input.Type.DType;

    public int Rows => Geometry.BatchSize * Geometry.OutputLength;

    public int ResultChannels => Activation == ConvActivation.GatedTanhSigmoid ? Geometry.OutChannels / 2 : Geometry.OutChannels;

    /// <summary>Whether anything after the activation has been fused (a later activation would apply after it: wrong order).</summary>
    public bool HasEpilogueAfterActivation => Residual is not null || OutputMask is not null;

    /// <summary>Whether only <c>cpu.conv1d</c> can hold it.</summary>
    public bool NeedsCpuOp => BiasAdd is not null || Residual is not null || InputMask is not null || OutputMask is not null
        || InputActivation != ConvActivation.None || (Activation != ConvActivation.None && !ConvActivations.IsTtnnFusable(Activation));

    public static FusedConv? Of(Node n) => n.Op switch
    {
        Tt.Conv1d c => new FusedConv
        {
            Geometry = WithActivation(c, ConvActivation.None, 0),
            Input = n.Inputs[0],
            Weight = n.Inputs[1],
            Bias = n.Inputs.Length > 2 ? n.Inputs[2] : null,
            Activation = c.Activation,
            ActivationParam = c.ActivationParam,
        },
        Cpu.Conv1d c => new FusedConv
        {
            Geometry = c.Geometry,
            Input = n.Inputs[0],
            Weight = n.Inputs[1],
            Bias = Slot(n, c, Cpu.Conv1d.Slot.Bias),
            BiasAdd = Slot(n, c, Cpu.Conv1d.Slot.BiasAdd),
            Residual = Slot(n, c, Cpu.Conv1d.Slot.Residual),
            InputMask = Slot(n, c, Cpu.Conv1d.Slot.InputMask),
            OutputMask = Slot(n, c, Cpu.Conv1d.Slot.OutputMask),
            InputActivation = c.InputActivation,
            InputActivationParam = c.InputActivationParam,
            Activation = c.Activation,
            ActivationParam = c.ActivationParam,
        },
        _ => null,
    };

    /// <summary><paramref name="c"/> with another fused activation.</summary>
    public static Tt.Conv1d WithActivation(Tt.Conv1d c, ConvActivation activation, float param) => new()
    {
        InChannels = c.InChannels,
        OutChannels = c.OutChannels,
        BatchSize = c.BatchSize,
        InputLength = c.InputLength,
        KernelSize = c.KernelSize,
        Stride = c.Stride,
        Padding = c.Padding,
        Dilation = c.Dilation,
        Groups = c.Groups,
        Activation = activation,
        ActivationParam = param,
    };

    private static Node? Slot(Node n, Cpu.Conv1d c, Cpu.Conv1d.Slot s) => c.IndexOf(s) is var i and >= 0 ? n.Inputs[i] : null;

    /// <summary>
    /// The fused node standing for <paramref name="replaced"/>: the conv in <paramref name="replaced"/>'s layout and,
    /// when its shape is not the conv's flattened [1, 1, N·L_out, O'], reshaped to it (the same bytes).
    /// </summary>
    public Node Replacing(Node replaced)
    {
        var conv = Build(replaced.Type.Layout);
        if (conv.Shape.Equals(replaced.Shape)) return conv;
        return Node.CreateTyped(new Tt.Reshape { Shape = replaced.Shape.ToArray() }, [conv], replaced.Type with { Memory = null });
    }

    /// <summary>The node in <paramref name="layout"/>.</summary>
    public Node Build(Layout? layout)
    {
        var type = new TensorType(DType, new Shape(1, 1, Rows, ResultChannels), layout ?? Layout.Tile);
        if (!NeedsCpuOp)
        {
            var tt = WithActivation(Geometry, Activation, ActivationParam);
            return Node.CreateTyped(tt, Bias is null ? [Input, Weight] : [Input, Weight, Bias], type);
        }
        var g = Geometry;
        var op = new Cpu.Conv1d
        {
            InChannels = g.InChannels,
            OutChannels = g.OutChannels,
            BatchSize = g.BatchSize,
            InputLength = g.InputLength,
            KernelSize = g.KernelSize,
            Stride = g.Stride,
            Padding = g.Padding,
            Dilation = g.Dilation,
            Groups = g.Groups,
            InputActivation = InputActivation,
            InputActivationParam = InputActivationParam,
            Activation = Activation,
            ActivationParam = ActivationParam,
            HasBias = Bias is not null,
            HasBiasAdd = BiasAdd is not null,
            HasResidual = Residual is not null,
            HasInputMask = InputMask is not null,
            HasOutputMask = OutputMask is not null,
        };
        Node?[] optional = [Bias, BiasAdd, Residual, InputMask, OutputMask];
        return Node.CreateTyped(op, [Input, Weight, .. optional.OfType<Node>()], type);
    }
}
