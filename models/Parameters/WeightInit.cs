namespace VoxTile.Models.Parameters;

/// <summary>How a parameter is drawn when a model is built with random weights (the demo; shape tests).</summary>
public enum WeightInit
{
    /// <summary>Uniform in ±1/√fan_in, PyTorch's default for convs and linears.</summary>
    FanIn,
    Ones,
    Zeros,
}
