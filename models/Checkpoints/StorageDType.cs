namespace VoxTile.Models.Checkpoints;

/// <summary>Element type of a torch storage, as named by the storage class in the pickle (torch.FloatStorage, ...).</summary>
internal enum StorageDType
{
    Float32,
    Float16,
    BFloat16,
    Float64,
    Int64,
    Int32,
    Int16,
    Int8,
    UInt8,
    Bool,
}
