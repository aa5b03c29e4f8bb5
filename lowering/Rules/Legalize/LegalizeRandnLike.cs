using VoxTile.IR;
using VoxTile.IR.Ops.Random;

namespace VoxTile.Lowering.Rules.Legalize;

/// <summary>
/// <c>nn.randn_like</c> → a new graph input, named after the value and carrying the seed, that the runtime fills with
/// the seeded draw (<see cref="RandnInputs"/>):
/// f32 in the nn shape (<see cref="LegalizeTtnnPass.HostLayout"/>), so that the runtime fills it exactly as the reference does; the device casts it
/// to the activation dtype and permutes it where its consumers need (the posterior noise is one permute).
/// </summary>
public sealed class LegalizeRandnLike : ILegalizeRule
{
    public string Name => "legalize-randn-like";

    public DeviceValue? Lower(Node node, Legalizer l)
    {
        if (node.Op is not RandnLike r) return null;
        var value = node.Name ?? $"randn{l.NewInputs.Count}";
        var name = value;
        for (int k = 1; !l.IsFreeInputName(name); k++) name = $"{value}_{k}";
        var shape = node.Shape.ToArray();
        var input = l.NewInput(name, new TensorType(DType.F32, new Shape(shape), LegalizeTtnnPass.HostLayout), r.Seed);
        return DeviceValue.Of(input, Perms.Identity(shape.Length), shape);
    }
}
