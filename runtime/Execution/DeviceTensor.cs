using VoxTile.IR;
using VoxTile.Lowering.Plan;
using VoxTile.Runtime.Native;

namespace VoxTile.Runtime.Execution;

/// <summary>
/// A tensor of the running plan: its plan entry, its fixed shape, dtype and layout (as the plan's type says) and the
/// native bytes holding it in the kernels' format (tiles of 32×32 in four faces, block floats packed as TTNN packs
/// them). Where it sits on the device (DRAM, L1 banks) is <see cref="DeviceMemory"/>'s bookkeeping.
/// </summary>
internal sealed unsafe class DeviceTensor
{
    public DeviceTensor(PlanTensor plan, TensorType type, DeviceBuffer buffer)
    {
        Plan = plan;
        Type = type;
        Shape = type.Shape.ToArray();
        DType = type.DType;
        Layout = type.Layout ?? Layout.RowMajor;
        Buffer = buffer;
    }

    public PlanTensor Plan { get; }
    public TensorType Type { get; }
    public int[] Shape { get; }
    public DType DType { get; }
    public Layout Layout { get; }
    public DeviceBuffer Buffer { get; }
    public nint Data => Buffer.Pointer;
    public long Count => Tensor.Count(Shape);

    public VtTensor View() => NativeKernels.View(Data, Shape, DType, Layout);

    /// <summary>The same bytes read with another shape (a conv's [1, 1, N·L, C] as [N, L, C]: same row-major order).</summary>
    public VtTensor View(ReadOnlySpan<int> shape) => NativeKernels.View(Data, shape, DType, Layout);

    public static long BytesOf(TensorType type) => NativeKernels.Bytes(type.Shape.ToArray(), type.DType, type.Layout ?? Layout.RowMajor);

    /// <summary>Writes fp32 row-major values, converting to this tensor's dtype and layout (round to nearest even).</summary>
    public void Upload(ReadOnlySpan<float> values)
    {
        if (values.Length != Count) throw new VoxTileException($"%{Plan.Name}: {values.Length} values given, its type {Type} holds {Count}");
        fixed (float* p = values)
            NativeKernels.Typecast(NativeKernels.View((nint)p, Shape, DType.F32, Layout.RowMajor), View(), $"upload %{Plan.Name}");
    }

    /// <summary>The values as an fp32 row-major tensor of the logical shape.</summary>
    public Tensor Download()
    {
        var t = new Tensor((int[])Shape.Clone());
        fixed (float* p = t.Data)
            NativeKernels.Typecast(View(), NativeKernels.View((nint)p, Shape, DType.F32, Layout.RowMajor), $"download %{Plan.Name}");
        return t;
    }

    public override string ToString() => $"%{Plan.Name}: {Type}";
}
