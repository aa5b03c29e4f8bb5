namespace VoxTile.Models.Parameters;

/// <summary>
/// Where a model's parameters come from: a released checkpoint, or random draws of the same shapes. The model
/// builders ask for each parameter by its checkpoint key and the shape the config implies; a checkpoint source
/// fails with the key and both shapes when they disagree.
/// </summary>
public interface IParameterSource
{
    IR.Tensor Get(string key, int[] shape, WeightInit init = WeightInit.FanIn, int fanIn = 0);

    bool Contains(string key);

    /// <summary>After a build: fails on parameters the model did not use (outside the prefixes a model ignores).</summary>
    void EnsureAllUsed(params string[] ignoredPrefixes);
}
