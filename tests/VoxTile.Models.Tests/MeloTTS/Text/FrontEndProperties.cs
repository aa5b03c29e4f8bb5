using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.Models.MeloTTS.Text;

namespace VoxTile.Models.Tests.MeloTTS.Text;

/// <summary>Laws of the normalization and tokenization that hold for every input.</summary>
public sealed class FrontEndProperties
{
    [Property]
    public Property NormalizedNumbersHaveNoDigitsAndSingleSpaces() => Prop.ForAll(
        Gen.Choose(-1_000_000, int.MaxValue).Select(n => (long)n * (n % 3 == 0 ? 1000 : 1)).ToArbitrary(),
        n =>
        {
            var words = NumberNormalizer.Normalize(n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return !words.Any(char.IsAsciiDigit) && !words.Contains("  ", StringComparison.Ordinal) && words == words.Trim();
        });

    /// <summary>Outside the year range a number reads as its parts: thousands groups joined by ", ".</summary>
    [Property]
    public Property CardinalsComposeByThousands() => Prop.ForAll(
        Gen.Choose(1, 999).ToArbitrary(), Gen.Choose(100, 999).ToArbitrary(),
        (high, low) => NumberWords.Cardinal(high * 1000L + low) == $"{NumberWords.Cardinal(high)} thousand, {NumberWords.Cardinal(low)}"
            || !NumberWords.Cardinal(low).Contains(' '));

    /// <summary>Tokens keep every non-space character of ASCII text, in order; punctuation tokens are one character.</summary>
    [Property]
    public Property TokensKeepTheCharacters(NonNull<string> text)
    {
        var ascii = new string([.. text.Get.Where(c => c is >= ' ' and <= '~')]);
        var tokens = BasicTokenizer.Tokenize(ascii);
        bool kept = string.Concat(tokens) == new string([.. ascii.ToLowerInvariant().Where(c => c != ' ')]);
        bool single = tokens.All(t => t.Length == 1 || !t.Any(c => BasicTokenizer.IsPunctuation(new System.Text.Rune(c))));
        return (kept && single).ToProperty();
    }

    [Property]
    public Property DistributePhoneSpreadsEvenly() => Prop.ForAll(
        Gen.Choose(0, 40).ToArbitrary(), Gen.Choose(1, 8).ToArbitrary(),
        (phones, pieces) =>
        {
            var counts = EnglishFrontEnd.DistributePhones(phones, pieces);
            return counts.Sum() == phones && counts.Max() - counts.Min() <= 1;
        });
}
