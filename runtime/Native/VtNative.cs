namespace VoxTile.Runtime.Native;

public static unsafe partial class VtNative
{
    // An explicit static constructor runs before the first call of any entry point: the resolver is in place then.
    static VtNative() => KernelLibrary.RegisterResolver();
}
