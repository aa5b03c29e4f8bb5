using System.Runtime.InteropServices;

namespace VoxTile.Runtime.Native;

/// <summary>A native kernel call failed: the status it returned and the library's message for it.</summary>
public sealed class KernelException(VtStatus status, string message) : Exception(message)
{
    public VtStatus Status { get; } = status;
}

public static class VtStatusExtensions
{
    /// <summary>Turns a failed status into a <see cref="KernelException"/> carrying vt_last_error()'s message.</summary>
    public static void ThrowIfFailed(this VtStatus status)
    {
        if (status != VtStatus.Ok) Throw(status);
    }

    private static unsafe void Throw(VtStatus status)
    {
        var message = Marshal.PtrToStringUTF8((nint)VtNative.LastError());
        throw new KernelException(status, string.IsNullOrEmpty(message) ? $"native kernel failed with {status}" : message);
    }
}
