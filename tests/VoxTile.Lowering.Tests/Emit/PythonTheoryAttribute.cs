namespace VoxTile.Lowering.Tests.Emit;

/// <summary>A theory skipped, with the reason, when python3 or the ttnn API reference is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PythonTheoryAttribute : TheoryAttribute
{
    public PythonTheoryAttribute()
    {
        if (PythonTool.SkipReason is { } why) Skip = why;
    }
}
