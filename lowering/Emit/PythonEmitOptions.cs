namespace VoxTile.Lowering.Emit;

/// <summary>What <see cref="PythonEmitter"/> needs beside the plan.</summary>
public sealed record PythonEmitOptions
{
    /// <summary>The program's file name, for its usage line (<see cref="PythonEmitter.Write"/> sets it).</summary>
    public string ProgramFile { get; init; } = "model_ttnn.py";

    /// <summary>The weights file's name, beside the program (the program finds it relative to itself).</summary>
    public string WeightsFile { get; init; } = "model_ttnn.weights.npz";

    /// <summary>
    /// The rate of the plan's audio, for .wav inputs and the program's <c>--wav</c> (of the output named audio, else
    /// the first); null takes the rate the plan records (<see cref="PlanAudio.RateSetting"/>), if any.
    /// </summary>
    public int? SampleRate { get; init; }

    /// <summary>Where the API reference the program was checked against lives, for the header.</summary>
    public string ApiReference { get; init; } = "../shared/spec/ttnn-api.json";
}
