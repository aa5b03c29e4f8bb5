using VoxTile.IR;
using VoxTile.Models.Checkpoints;

namespace VoxTile.Models.Parameters;

/// <summary>Parameters read from a checkpoint's state dict (weight norm already folded by the reader).</summary>
public sealed class CheckpointParameters(StateDict state) : IParameterSource
{
    public StateDict State { get; } = state;

    public Tensor Get(string key, int[] shape, WeightInit init = WeightInit.FanIn, int fanIn = 0) => State.Get(key, shape);

    public bool Contains(string key) => State.Contains(key);

    public void EnsureAllUsed(params string[] ignoredPrefixes) => State.EnsureAllUsed(ignoredPrefixes);
}
