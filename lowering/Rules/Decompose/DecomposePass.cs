using VoxTile.IR;
using VoxTile.Lowering.Passes;
using VoxTile.Lowering.Rules.Fold;

namespace VoxTile.Lowering.Rules.Decompose;

/// <summary>
/// <c>decompose</c>: the nn ops TTNN has no (good) kernel for, rewritten into nn ops it runs well. After it no
/// nn.cumsum, nn.sequence_mask, nn.spectrogram, nn.gru or nn.conv_transpose1d remains (conv_transpose1d stays only
/// with <see cref="LoweringOptions.ConvTransposeAsConvTranspose2d"/>, or dilation ≠ 1, noted), and channel layer
/// norms normalise the last axis. Equal <c>const.</c> weights are shared afterwards. Run <c>fold-constants</c> after
/// it to collapse what now depends only on constants (masks of a fixed length, polyphase weights of computed weights).
/// </summary>
public sealed class DecomposePass() : RulePass(PassName,
    new DecomposeCumsum(),
    new DecomposeSequenceMask(),
    new DecomposeSpectrogram(),
    new DecomposeChannelLayerNorm(),
    new DecomposeGru(),
    new LowerConvTransposeToPolyphase(),
    new DecomposeBf16OnlyUnaryF32(),
    new ForwardSliceThroughConcat())
{
    public const string PassName = "decompose";

    /// <summary>The nn ops that no longer appear after this pass (given dilation 1 and the default options).</summary>
    public static IReadOnlyList<string> Removed { get; } =
        ["nn.conv_transpose1d", "nn.cumsum", "nn.gru", "nn.sequence_mask", "nn.spectrogram"];

    public override Graph Run(Graph graph, PassContext context) => ShareConstants.Run(base.Run(graph, context));
}
