using VoxTile.IR;
using VoxTile.IR.Text;

namespace VoxTile.IR.Tests.Text;

public sealed class AttributeFormatTests
{
    [Theory]
    [InlineData(DType.BFP8_B, "bfp8_b")]
    [InlineData(DType.BFP4_B, "bfp4_b")]
    [InlineData(DType.F32, "f32")]
    [InlineData(Layout.RowMajor, "row_major")]
    public void EnumsPrintInSnakeCaseAndParseBack(Enum value, string printed)
    {
        Assert.Equal(printed, AttributeMap.Format(value));
        var parsed = Parser.ParseAttributeValue(printed);
        var map = new AttributeMap(new Dictionary<string, object> { ["v"] = parsed });
        var back = typeof(AttributeMap).GetMethod(nameof(AttributeMap.GetRequired))!.MakeGenericMethod(value.GetType()).Invoke(map, ["test", "v"]);
        Assert.Equal(value, back);
    }
}
