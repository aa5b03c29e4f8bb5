using VoxTile.IR;

namespace VoxTile.Lowering.Emit;

/// <summary>An emitted program: its text, and the weights it loads (fp32, by plan tensor name, in the layout each op expects).</summary>
public sealed record PythonProgram(string Text, IReadOnlyList<KeyValuePair<string, Tensor>> Weights);
