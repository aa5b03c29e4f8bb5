namespace VoxTile.IR.Ops.Ttnn;

/// <summary>
/// A dtype attribute in TTNN's own spelling: it prints as <c>bfloat16</c>, <c>bfloat8_b</c>, <c>float32</c>,
/// <c>uint32</c> (the names of <c>ttnn.bfloat16</c> …) and parses back. Tensor types keep <see cref="DType"/>;
/// <see cref="TtnnDataTypes"/> converts.
/// </summary>
public enum TtnnDataType { Bfloat16, Float32, Bfloat8B, Bfloat4B, Uint32, Int32 }
