namespace VoxTile.Lowering.Tests.Emit;

/// <summary>A theory skipped, with the reason, when python3 (with numpy, when asked) or the ttnn API reference is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PythonTheoryAttribute : TheoryAttribute
{
    public PythonTheoryAttribute(bool numpy = false)
    {
        if ((numpy ? PythonTool.NumpySkipReason : PythonTool.SkipReason) is { } why) Skip = why;
    }
}
