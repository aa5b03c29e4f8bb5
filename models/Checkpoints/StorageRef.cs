namespace VoxTile.Models.Checkpoints;

/// <summary>
/// A storage named by a persistent id: which zip entry holds it, its dtype and its element count. The bytes are read
/// only when a tensor that uses it is materialised, so entries the model never needs (an optimizer state) cost nothing.
/// </summary>
internal sealed record StorageRef(string Key, string EntryName, StorageDType DType, long Numel, long EntryLength);
