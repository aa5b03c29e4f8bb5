using VoxTile.Models.MeloTTS.Text;

namespace VoxTile.Models.Tests.MeloTTS.Text;

/// <summary>The worked examples of ../shared/spec/melotts-text-en.md §2, each the reference's own output.</summary>
public sealed class NormalizationTests
{
    [Theory]
    [InlineData("0", "zero")]
    [InlineData("7", "seven")]
    [InlineData("13", "thirteen")]
    [InlineData("100", "one hundred")]
    [InlineData("101", "one hundred one")]
    [InlineData("110", "one hundred ten")]
    [InlineData("999", "nine hundred ninety-nine")]
    [InlineData("1000", "one thousand")]
    [InlineData("1001", "ten oh one")]
    [InlineData("1100", "eleven hundred")]
    [InlineData("1900", "nineteen hundred")]
    [InlineData("1905", "nineteen oh five")]
    [InlineData("1995", "nineteen ninety-five")]
    [InlineData("2000", "two thousand")]
    [InlineData("2005", "two thousand five")]
    [InlineData("2009", "two thousand nine")]
    [InlineData("2010", "twenty ten")]
    [InlineData("2100", "twenty-one hundred")]
    [InlineData("2999", "twenty-nine ninety-nine")]
    [InlineData("3000", "three thousand")]
    [InlineData("12345", "twelve thousand, three hundred forty-five")]
    [InlineData("100000", "one hundred thousand")]
    [InlineData("1000000", "one million")]
    [InlineData("12345678", "twelve million, three hundred forty-five thousand, six hundred seventy-eight")]
    [InlineData("-4", "minus four")]
    [InlineData("-1995", "minus one thousand, nine hundred ninety-five")]
    [InlineData("21st", "twenty-first")]
    [InlineData("2nd", "second")]
    [InlineData("103rd", "one hundred and third")]
    [InlineData("11th", "eleventh")]
    [InlineData("2.5", "two point five")]
    [InlineData("0.75", "zero point seventy-five")]
    [InlineData("3.14", "three point fourteen")]
    [InlineData("1.2.3", "one point two.three")]
    [InlineData("1,250", "twelve fifty")]
    [InlineData("$3.50", "three dollars fifty cents")]
    [InlineData("$1", "one dollar")]
    [InlineData("$0.01", "one cent")]
    [InlineData("$0.99", "ninety-nine cents")]
    [InlineData("$5.00", "five dollars")]
    [InlineData("$1,999.99", "nineteen ninety-nine dollars ninety-nine cents")]
    [InlineData("£20", "twenty pounds sterling")]
    [InlineData("£1.01", "one pound sterling one penny")]
    [InlineData("¥300", "three hundred yen")]
    [InlineData("5%", "five%")]
    public void NumbersReadAsTheReferenceReadsThem(string input, string expected) =>
        Assert.Equal(expected, NumberNormalizer.Normalize(input));

    /// <summary>The spec's slips: the reference reads a currency fraction's digits as an integer; VoxTile reads hundredths.</summary>
    [Theory]
    [InlineData("¥2.5", "two yen fifty sen")]
    [InlineData("$.5", "fifty cents")]
    public void CurrencyFractionsAreHundredthsADepartureFromTheReference(string input, string expected) =>
        Assert.Equal(expected, NumberNormalizer.Normalize(input));

    [Theory]
    [InlineData("9:05 pm", "nine oh five p m")]
    [InlineData("12:00", "twelve p m")]
    [InlineData("13:15", "one fifteen p m")]
    [InlineData("23:45 pm", "eleven forty-five p m")]
    [InlineData("10:30am", "ten thirty a m")]
    public void TimesReadAsTheReferenceReadsThem(string input, string expected) =>
        Assert.Equal(expected, TimeNormalizer.Expand(input));

    /// <summary>The spec's marked slips, kept to their intent (README, "Differences from MeloTTS").</summary>
    [Theory]
    [InlineData("0:30", "twelve thirty a m")]
    [InlineData("7:00 tonight", "seven a m tonight")]
    [InlineData("9:05 a.m.", "nine oh five a m")]
    [InlineData("9:05 p.m. sharp", "nine oh five p m sharp")]
    public void TimeSlipsOfTheReferenceAreRead(string input, string expected) =>
        Assert.Equal(expected, TimeNormalizer.Expand(input));

    [Theory]
    [InlineData("mrs. smith", "misess smith")]
    [InlineData("mr. smith", "mister smith")]
    [InlineData("dr. who", "doctor who")]
    [InlineData("st. louis", "saint louis")]
    [InlineData("acme co.", "acme company")]
    [InlineData("jr.", "junior")]
    [InlineData("maj.", "major")]
    [InlineData("gen.", "general")]
    [InlineData("drs.", "doctors")]
    [InlineData("rev.", "reverend")]
    [InlineData("lt.", "lieutenant")]
    [InlineData("hon.", "honorable")]
    [InlineData("sgt.", "sergeant")]
    [InlineData("capt.", "captain")]
    [InlineData("esq.", "esquire")]
    [InlineData("ltd.", "limited")]
    [InlineData("col.", "colonel")]
    [InlineData("ft. worth", "fort worth")]
    [InlineData("most.", "most.")]
    public void AbbreviationsExpandOnlyAsWholeWords(string input, string expected) =>
        Assert.Equal(expected, Abbreviations.Expand(input));

    [Fact]
    public void TextNormalizeLowercasesThenTimesNumbersAbbreviations() =>
        Assert.Equal("mister smith paid three dollars fifty cents at nine oh five p m on the twenty-first",
            EnglishNormalizer.Normalize("Mr. Smith paid $3.50 at 9:05 PM on the 21st"));

    [Theory]
    [InlineData(1001L, "and", "one thousand and one")]
    public void InflectPutsItsAndWordBeforeALastOneWordGroup(long n, string andWord, string expected) =>
        Assert.Equal(expected, NumberWords.Cardinal(n, andWord));

    [Theory]
    [InlineData("twenty", "twentieth")]
    [InlineData("one hundred", "one hundredth")]
    [InlineData("twenty-two", "twenty-second")]
    [InlineData("nine", "ninth")]
    [InlineData("twelve", "twelfth")]
    public void OrdinalsChangeTheLastWord(string words, string expected) => Assert.Equal(expected, NumberWords.OrdinalOf(words));
}
