using Razorvine.Pickle;

namespace VoxTile.Models.Checkpoints;

/// <summary>
/// torch._utils._rebuild_parameter(data, requires_grad, backward_hooks): what torch.save writes for an nn.Parameter
/// (a state dict saved with keep_vars=True). The parameter is just its tensor for our purposes.
/// </summary>
internal sealed class RebuildParameterConstructor : IObjectConstructor
{
    public object construct(object[] args)
    {
        PickleTicks.Next();
        if (args.Length is < 1 or > 3 || args[0] is not PickledTensor tensor)
            throw new PickleException("_rebuild_parameter: the first argument is not a tensor");
        return tensor;
    }
}
