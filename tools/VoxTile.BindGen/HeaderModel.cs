namespace VoxTile.BindGen;

/// <summary>What the ABI header declares, in source order: the input of the C# writer.</summary>
internal sealed record HeaderModel(
    IReadOnlyList<CConstant> Constants,
    IReadOnlyList<CEnum> Enums,
    IReadOnlyList<CStruct> Structs,
    IReadOnlyList<CFunction> Functions);

internal sealed record CConstant(string Name, long Value);

internal sealed record CEnumMember(string Name, long Value, string? Comment);

internal sealed record CEnum(string Name, IReadOnlyList<CEnumMember> Members, string? Comment);

internal sealed record CField(string Name, CType Type, string? Comment);

/// <summary>A struct; one without fields is opaque (only handled through pointers).</summary>
internal sealed record CStruct(string Name, IReadOnlyList<CField> Fields, bool Opaque, string? Comment);

internal sealed record CParam(string Name, CType Type);

internal sealed record CFunction(string Name, CType Return, IReadOnlyList<CParam> Params, string? Comment);

/// <summary>A C type reduced to what a binding needs.</summary>
internal abstract record CType;

/// <summary>A C# primitive keyword: int, long, float, byte, void, ...</summary>
internal sealed record CPrimitive(string CSharp) : CType;

internal sealed record CPointer(CType Pointee) : CType;

internal sealed record CNamed(string Name, bool IsEnum) : CType;

internal sealed record CFixedArray(CType Element, long Length) : CType;
