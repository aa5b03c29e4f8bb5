namespace VoxTile.Lowering.Emit;

/// <summary>Which values a reference file holds beside the inputs.</summary>
public enum ReferenceValues
{
    /// <summary>The plan's outputs.</summary>
    Outputs,

    /// <summary>The outputs and every named intermediate the emitted program taps (<see cref="PythonEmitter.IsTapped"/>).</summary>
    Named,
}
