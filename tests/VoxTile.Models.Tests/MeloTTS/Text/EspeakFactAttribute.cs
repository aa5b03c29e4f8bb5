using VoxTile.Models.MeloTTS.Text.Espeak;

namespace VoxTile.Models.Tests.MeloTTS.Text;

/// <summary>
/// A test that needs libespeak-ng: skipped with the reason where the library is absent, except under CI (CI=true),
/// whose machine ran scripts/setup.sh and so has it — there the test runs and fails on an absent library.
/// </summary>
public sealed class EspeakFactAttribute : FactAttribute
{
    public EspeakFactAttribute()
    {
        if (EspeakNg.Shared is null && !UnderCi) Skip = $"espeak-ng is not here: {EspeakNg.WhyNot}";
    }

    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
