using VoxTile.Models.MeloTTS.Text;

namespace VoxTile.Models.Tests.MeloTTS.Text;

public sealed class SentenceSplitterTests
{
    [Fact]
    public void ATextUnder256CharactersIsOnePiece() =>
        Assert.Equal(["Hello world. How are you? Fine!"], SentenceSplitter.SplitLatin("  Hello world.How are\n\nyou?   Fine!"));

    [Fact]
    public void BracketsAndDoubleQuotesGoAndFullWidthMarksBecomeAscii() =>
        Assert.Equal(["He said hi. It's fine, ok."], SentenceSplitter.SplitLatin("He said “hi”。It’s (fine)，ok."));

    [Fact]
    public void NumbersAreNotSplitAtTheirPointOrComma() =>
        Assert.Equal(["It costs $3.50, or 1,250 yen."], SentenceSplitter.SplitLatin("It costs $3.50,or 1,250 yen."));

    [Fact]
    public void PunctuationOnlyPiecesAreDropped() => Assert.Empty(SentenceSplitter.SplitLatin(" ... !? "));

    [Fact]
    public void LongTextIsCutAtSentenceEndsOnce256CharactersAreReached()
    {
        var sentence = "This sentence has exactly some words in it to fill the piece up. ";
        var text = string.Concat(Enumerable.Repeat(sentence, 20));
        var pieces = SentenceSplitter.SplitLatin(text);
        Assert.True(pieces.Count > 1);
        Assert.All(pieces, p => Assert.InRange(p.Length, 1, SentenceSplitter.MaxLength));
        Assert.All(pieces.SkipLast(1), p => Assert.True(p.Length >= SentenceSplitter.DesiredLength && p.EndsWith('.'), p));
        Assert.Equal(text.Trim(), string.Join(' ', pieces));
    }

    [Fact]
    public void AnUnpunctuatedRunIsCutAtASpaceBefore512()
    {
        var text = string.Join(' ', Enumerable.Repeat("word", 400));
        var pieces = SentenceSplitter.SplitLatin(text);
        Assert.All(pieces, p => Assert.InRange(p.Length, 1, SentenceSplitter.MaxLength));
        Assert.All(pieces, p => Assert.DoesNotContain("wo rd", p));
        Assert.Equal(text, string.Join(' ', pieces));
    }
}
