namespace VoxTile.Testing;

/// <summary>
/// A fact reported as skipped, with the reason, when the golden case folder is absent (a fresh clone without
/// ../shared/golden); xunit 2 can only skip from the attribute, so the check happens here.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class GoldenFactAttribute : FactAttribute
{
    public GoldenFactAttribute(string caseName)
    {
        var dir = Golden.Case(caseName);
        if (dir is null || !Directory.Exists(dir)) Skip = $"{Golden.SkipReason} (case {caseName})";
    }
}

/// <summary>A theory skipped with the reason when ../shared/golden is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class GoldenTheoryAttribute : TheoryAttribute
{
    public GoldenTheoryAttribute()
    {
        if (!Golden.Available) Skip = Golden.SkipReason;
    }
}
