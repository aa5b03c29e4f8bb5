using VoxTile.Models.MeloTTS;
using VoxTile.Models.MeloTTS.Text;

namespace VoxTile.Models.Tests.MeloTTS.Text;

public sealed class EnglishFrontEndTests
{
    /// <summary>Entries copied from ../shared/lexicon/cmudict.rep, in its form.</summary>
    private static CmuLexicon Lexicon()
    {
        var lexicon = CmuLexicon.Empty();
        lexicon.Add([
            "## a comment",
            "HELLO  HH AH0 - L OW1",
            "WORLD  W ER1 L D",
            "DON  D AA1 N",
            "T  T IY1",
            "VERY  V EH1 - R IY0",
            "AND  AE1 N D",
            "AND(2)  AH0 N D",
            "TILE  T AY1 L",
            "VOX  V AA1 K S",
            "CAT  K AE1 T",
        ]);
        return lexicon;
    }

    private static EnglishFrontEnd FrontEnd() => new(Lexicon());

    [Fact]
    public void LexiconWordsGiveLowercasePhonesAndStressTones()
    {
        var r = FrontEnd().Phonemize("Hello world");
        Assert.Equal("hello world", r.Text);
        Assert.Equal(["_", "hh", "ah", "l", "ow", "w", "er", "l", "d", "_"], r.Phones);
        Assert.Equal([0, 0, 1, 0, 2, 0, 2, 0, 0, 0], r.Tones);
        Assert.Equal([1, 4, 4, 1], r.WordToPhone);
    }

    [Fact]
    public void ApostrophesSplitWordsAsBertDoes()
    {
        Assert.Equal(["don", "'", "t"], BasicTokenizer.Tokenize("don't"));
        var r = FrontEnd().Phonemize("Don't");
        Assert.Equal(["_", "d", "aa", "n", "'", "t", "iy", "_"], r.Phones);
        Assert.Equal([0, 0, 2, 0, 0, 0, 2, 0], r.Tones);
        Assert.Equal([1, 3, 1, 2, 1], r.WordToPhone);
    }

    [Fact]
    public void PunctuationIsItsOwnTokenAndKeptWhereTheVocabularyHasIt()
    {
        Assert.Equal(["hello", ",", "world", "!", "?", "…", "¿"], BasicTokenizer.Tokenize("Hello,world!? …¿"));
        var r = FrontEnd().Phonemize("hello, world!");
        Assert.Equal(["_", "hh", "ah", "l", "ow", ",", "w", "er", "l", "d", "!", "_"], r.Phones);
        Assert.Equal([1, 4, 1, 4, 1, 1], r.WordToPhone);
    }

    /// <summary>g2p_en keeps only ' . , ? ! - of a token with no letter; ":" or "%" give no phone (word2ph 0).</summary>
    [Fact]
    public void PunctuationThatG2pEnDropsGivesNoPhone()
    {
        var r = FrontEnd().Phonemize("hello: world");
        Assert.Equal(["_", "hh", "ah", "l", "ow", "w", "er", "l", "d", "_"], r.Phones);
        Assert.Equal([1, 4, 0, 4, 1], r.WordToPhone);
    }

    [Fact]
    public void TheVPhoneBecomesTheCapitalSymbolAsPostReplacePhDoes()
    {
        var r = FrontEnd().Phonemize("very");
        Assert.Equal(["_", "V", "eh", "r", "iy", "_"], r.Phones);
        Assert.Equal([0, 0, 2, 0, 1, 0], r.Tones);
    }

    [Fact]
    public void VariantEntriesAreNotLookedUp()
    {
        var r = FrontEnd().Phonemize("and");
        Assert.Equal(["_", "ae", "n", "d", "_"], r.Phones);
    }

    [Fact]
    public void AccentsAreStrippedAndCamelCaseSplit()
    {
        Assert.Equal(["cafe", "naive", "senor", "zurich"], BasicTokenizer.Tokenize("café naïve señor Zürich"));
        Assert.Equal(["cafe"], BasicTokenizer.Tokenize("cafe\u0301"));
        Assert.Equal("hello world", FrontEnd().Phonemize("helloWorld").Text);
    }

    [Fact]
    public void UnicodePunctuationEmojiAndOtherScriptsGiveOnlyVocabularySymbols()
    {
        var r = FrontEnd().Phonemize("Hello 👋 world… “quoted” — ¿ok? привет ٣ 中");
        Assert.All(r.Phones, p => Assert.Contains(p, MeloSymbols.All));
        Assert.Equal(r.Phones.Count, r.WordToPhone.Sum());
        Assert.Equal(["_", "hh", "ah", "l", "ow", "w", "er", "l", "d"], r.Phones.Take(9));
        MeloText.Default.Encode(r.Phones, r.Tones, "EN");
    }

    [Theory]
    [InlineData(5, 1, new[] { 5 })]
    [InlineData(5, 2, new[] { 3, 2 })]
    [InlineData(7, 3, new[] { 3, 2, 2 })]
    [InlineData(1, 3, new[] { 1, 0, 0 })]
    public void DistributePhoneDealsToTheFewestFirst(int phones, int pieces, int[] expected) =>
        Assert.Equal(expected, EnglishFrontEnd.DistributePhones(phones, pieces));

    [Fact]
    public void OutOfLexiconWordsGetStressedArpabetFromTheFallback()
    {
        var g2p = new RuleBasedG2p(Lexicon());
        Assert.Equal(["V", "AA1", "K", "S", "T", "AY1", "L"], g2p.Phonemize("voxtile"));   // two lexicon words
        Assert.Equal(["K", "AE1", "T", "S"], g2p.Phonemize("cats"));                       // lexicon word + plural s
        Assert.Equal(["B", "L", "AO1", "R", "F"], g2p.Phonemize("blorf"));                  // spelling rules
        Assert.Equal(["SH", "EY1", "P"], g2p.Phonemize("shape"));                           // final e lengthens
        Assert.Equal(["K", "W", "ER1", "T", "IY0"], g2p.Phonemize("qwerty"));                // every letter sounds
        Assert.Empty(g2p.Phonemize("ßø"));
    }

    [Fact]
    public void EveryFallbackPhoneIsInTheVocabularyWithAnEnglishTone()
    {
        var front = FrontEnd();
        foreach (var word in new[] { "quixotic", "zephyr", "knight", "phlegm", "gyroscope", "rhythm", "xylophone", "cwm", "strengths" })
        {
            var r = front.Phonemize(word);
            Assert.True(r.Phones.Count > 2, word);
            Assert.All(r.Phones, p => Assert.Contains(p, MeloSymbols.All));
            Assert.DoesNotContain("UNK", r.Phones);
            Assert.All(r.Tones, t => Assert.InRange(t, 0, 3));
            Assert.Equal(r.Phones.Count, r.WordToPhone.Sum());
            MeloText.Default.Encode(r.Phones, r.Tones, "EN");
        }
    }

    [Fact]
    public void TheIdsEqualThoseOfThePhonemePath()
    {
        var r = FrontEnd().Phonemize("Hello world");
        var fromText = MeloText.Default.Encode(r.Phones, r.Tones, "EN");
        var fromPhonemes = MeloText.Default.Encode("_ hh ah l ow w er l d _", "0 0 1 0 2 0 2 0 0 0", "EN");
        Assert.Equal(fromPhonemes.Phones, fromText.Phones);
        Assert.Equal(fromPhonemes.Tones, fromText.Tones);
        Assert.Equal(fromPhonemes.Languages, fromText.Languages);
        Assert.Equal([3, 8, 8, 2], MeloText.Default.WordToPhone(r.WordToPhone));
    }

    [Fact]
    public void AMissingLexiconIsOneClearError()
    {
        var e = Assert.Throws<VoxTile.IR.VoxTileException>(() => CmuLexicon.Load("/no/such/cmudict.rep"));
        Assert.Contains("/no/such/cmudict.rep", e.Message);
    }
}
