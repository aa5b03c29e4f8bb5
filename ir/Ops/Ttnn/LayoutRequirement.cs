namespace VoxTile.IR.Ops.Ttnn;

/// <summary>The layout an operand must have on the device: TILE, ROW_MAJOR, or either.</summary>
public enum LayoutRequirement { Any, Tile, RowMajor }
