using VoxTile.IR;
using VoxTile.Models.Config;
using VoxTile.Models.MeloTTS;
using VoxTile.Testing;

namespace VoxTile.Models.Tests.MeloTTS;

public sealed class MeloTextTests
{
    [Fact]
    public void TheVocabularyHasMeloTtsCounts()
    {
        var t = MeloText.Default;
        Assert.Equal((219, 16, 8, true), (t.Symbols.Count, t.NumTones, t.NumLanguages, t.AddBlank));
        Assert.Equal(219, t.Symbols.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("_", t.Symbols[0]);
        Assert.Equal(["!", "?", "\u2026", ",", ".", "'", "-", "\u00BF", "\u00A1", "SP", "UNK"], t.Symbols.Skip(208));
        // Between the pad and the punctuation the phones are sorted by code point, as Python's sorted(set(...)).
        var phones = t.Symbols.Skip(1).Take(207).ToList();
        Assert.Equal(phones.Order(StringComparer.Ordinal), phones);
        foreach (var en in new[] { "aa", "ae", "ah", "hh", "ng", "zh", "V", "dh", "th" }) Assert.Contains(en, t.Symbols);
        Assert.Equal(t.Symbols.Count - 2, t.SymbolId("SP"));
    }

    [Theory]
    [InlineData("tts-tiny")]
    [InlineData("tts-tiny-wnflow")]
    public void TheGoldenConfigsListAPrefixOfTheVocabulary(string name)
    {
        if (Golden.Case(name) is not { } dir) return;
        var symbols = MeloConfig.Load(Path.Combine(dir, "config.json")).Symbols!;
        Assert.Equal(MeloSymbols.All.Take(symbols.Count), symbols);
    }

    [Fact]
    public void EnglishGetsToneOffsetsLanguageIdsAndBlanks()
    {
        var s = MeloText.Default.Encode("_ hh ah l ow _", "0 0 2 0 1 0", "EN");

        int hh = MeloText.Default.SymbolId("hh"), ah = MeloText.Default.SymbolId("ah"), l = MeloText.Default.SymbolId("l"), ow = MeloText.Default.SymbolId("ow");
        Assert.Equal([0, 0, 0, hh, 0, ah, 0, l, 0, ow, 0, 0, 0], s.Phones);
        // EN tones start at 7: the pad gets 7 like every EN token, the blanks 0.
        Assert.Equal([0, 7, 0, 7, 0, 9, 0, 7, 0, 8, 0, 7, 0], s.Tones);
        Assert.Equal([0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0], s.Languages);
        Assert.Equal(13, s.Length);
    }

    [Fact]
    public void WithoutBlanksTheIdsAreThePhones()
    {
        var t = new MeloText(addBlank: false);
        var s = t.Encode(["a", "i0"], [1, 5], "zh");
        Assert.Equal([t.SymbolId("a"), t.SymbolId("i0")], s.Phones);
        Assert.Equal([1, 5], s.Tones);
        Assert.Equal([0, 0], s.Languages);
        Assert.Equal([13], t.Encode(["a"], [0], "FR").Tones);
        Assert.Equal([5, 5], [t.Encode(["a"], [0], "ES").Languages[0], t.Encode(["a"], [0], "SP").Languages[0]]);
    }

    [Fact]
    public void SymbolsAreReadByNameOrId()
    {
        var t = MeloText.Default;
        Assert.Equal([t.SymbolId("hh"), 5, 218], t.ParsePhones(" hh\t5  218 "));
        Assert.Equal("UNK", t.SymbolName(218));
        Assert.Equal(t.SymbolId("\u0283"), t.ParsePhones("\u0283")[0]);
    }

    [Fact]
    public void BadInputIsNamed()
    {
        var t = MeloText.Default;
        Assert.Equal("unknown phoneme symbol 'qq' (not among the 219 symbols of the vocabulary) at position 1", Assert.Throws<VoxTileException>(() => t.ParsePhones("hh qq")).Message);
        Assert.Contains("symbol id 219 is outside the vocabulary of 219 symbols", Assert.Throws<VoxTileException>(() => t.ParsePhones("219")).Message);
        Assert.Equal("2 phonemes but 3 tones", Assert.Throws<VoxTileException>(() => t.Encode("hh ah", "0 1 2", "EN")).Message);
        Assert.Contains("tone 4 at position 1 is outside EN's tones 0..3", Assert.Throws<VoxTileException>(() => t.Encode("hh ah", "0 4", "EN")).Message);
        Assert.Contains("tone 'x' at position 0 is not an integer", Assert.Throws<VoxTileException>(() => t.Encode("hh", "x", "EN")).Message);
        Assert.Contains("unknown language 'DE'", Assert.Throws<VoxTileException>(() => t.Encode("hh", "0", "DE")).Message);
        Assert.Contains("empty", Assert.Throws<VoxTileException>(() => t.Encode("", "", "EN")).Message);
        // A small vocabulary (the golden configs: 40 symbols, 8 tones, 3 languages) refuses what it lacks.
        var tiny = new MeloText(MeloSymbols.All.Take(40).ToList(), numTones: 8, numLanguages: 3);
        Assert.Contains("tone id 8 (EN tone 1) is outside the model's 8 tones", Assert.Throws<VoxTileException>(() => tiny.Encode("a", "1", "EN")).Message);
        Assert.Contains("language KR has id 4, but the model has 3 languages", Assert.Throws<VoxTileException>(() => tiny.Encode("a", "0", "KR")).Message);
        Assert.Contains("unknown phoneme symbol 'zh'", Assert.Throws<VoxTileException>(() => tiny.Encode("zh", "0", "ZH")).Message);
    }

    [Fact]
    public void ModelReadyIdsAreCheckedNotChanged()
    {
        var t = new MeloText(MeloSymbols.All.Take(40).ToList(), numTones: 8, numLanguages: 3);
        var s = t.FromIds([0, 25, 0], [2, 0, 6], [2, 2, 2]);
        Assert.Equal([0, 25, 0], s.Phones);
        Assert.Contains("tone id 8 at position 1 is outside 0..7", Assert.Throws<VoxTileException>(() => t.FromIds([0, 1], [0, 8], [0, 0])).Message);
        Assert.Contains("symbol id 40", Assert.Throws<VoxTileException>(() => t.FromIds([40], [0], [0])).Message);
        Assert.Contains("the lengths must agree", Assert.Throws<VoxTileException>(() => t.FromIds([1, 2], [0], [0, 0])).Message);
    }

    [Fact]
    public void BertFeaturesFollowThePhonesOfEachToken()
    {
        // Three word pieces ([CLS], "hello", [SEP]) with 1, 4, 1 phones; add_blank doubles the counts and adds the leading blank.
        var word2ph = MeloText.Default.WordToPhone([1, 4, 1]);
        Assert.Equal([3, 8, 2], word2ph);
        var features = new Tensor([2, 3], [1, 2, 3, 10, 20, 30]);
        var y = MeloText.ExpandFeatures(features, word2ph);
        Assert.Equal([1, 2, 13], y.Shape);
        Assert.Equal([1f, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3], y.Data.Take(13));
        Assert.Equal([10f, 10, 10, 20], y.Data.Skip(13).Take(4));
        Assert.Equal(2 * 6 + 1, MeloText.Default.Encode("_ hh ah l ow _", "0 0 2 0 1 0", "EN").Length);
        Assert.Contains("3 BERT tokens but 2 phone counts", Assert.Throws<VoxTileException>(() => MeloText.ExpandFeatures(features, [1, 1])).Message);
        Assert.Equal([1, 4, 1], new MeloText(addBlank: false).WordToPhone([1, 4, 1]));
        Assert.Equal([0, 5, 0, 6, 0], MeloText.Intersperse([5, 6]));
    }
}
