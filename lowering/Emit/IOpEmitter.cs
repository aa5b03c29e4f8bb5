namespace VoxTile.Lowering.Emit;

/// <summary>Writes the Python line of the ttnn ops of one family.</summary>
internal interface IOpEmitter
{
    /// <summary>The ttnn op names this emitter writes.</summary>
    IReadOnlyCollection<string> Ops { get; }

    /// <summary>The op's line (without indentation): one call, with the plan's keyword arguments and output memory config.</summary>
    string Emit(EmitStep s);
}
