using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using VoxTile.IR;
using VoxTile.Lowering.Plan;

namespace VoxTile.Lowering.Tests.Plan;

public sealed class PlanFileTests
{
    private static DevicePlan Sample(byte[] blob) => new()
    {
        Target = "wormhole_n150",
        Model = "test",
        ModelHash = "0123",
        Graph = "voice_conversion",
        Bucket = new Dictionary<string, int> { ["frames"] = 128 },
        Tensors =
        [
            new PlanTensor(0, "x", "bf16[1,128,192]{tile,dram}", PlanTensorKind.Input),
            new PlanTensor(1, "w", "bf16[192,192]{tile,dram}", PlanTensorKind.Weight, 0, blob.Length, "enc.w"),
            new PlanTensor(2, "y", "bf16[1,128,192]{tile,l1}", PlanTensorKind.Activation),
        ],
        Inputs = [0],
        Outputs = [2],
        Steps =
        [
            new PlanStep { Op = "ttnn.matmul", Inputs = [0, 1], Output = 2, Attributes = new Dictionary<string, string> { ["transpose_b"] = "false" }, Why = "fits in L1" },
            new PlanStep { Op = PlanStep.Deallocate, Inputs = [0] },
        ],
        Summary = new PlanSummary { PeakL1BytesPerCore = 4096, OpsByKind = new Dictionary<string, int> { ["ttnn.matmul"] = 1 } },
        Blob = blob,
    };

    private static byte[] Bytes(DevicePlan p)
    {
        using var ms = new MemoryStream();
        PlanFile.Write(ms, p);
        return ms.ToArray();
    }

    [Fact]
    public void RoundTripsEverything()
    {
        var plan = Sample([1, 2, 3, 4, 5]);
        var back = PlanFile.Read(Bytes(plan), "mem");
        Assert.Equal(plan.Blob, back.Blob);
        Assert.Equal(plan.Tensors, back.Tensors);
        Assert.Equal(plan.Inputs, back.Inputs);
        Assert.Equal(plan.Steps.Count, back.Steps.Count);
        Assert.Equal("false", back.Steps[0].Attributes["transpose_b"]);
        Assert.True(back.Steps[1].IsDeallocate);
        Assert.Equal(4096, back.Summary.PeakL1BytesPerCore);
        Assert.Equal(128, back.Bucket["frames"]);
        Assert.Equal(Bytes(plan), Bytes(back));
    }

    [Fact]
    public void EveryFlippedByteIsCaught()
    {
        var bytes = Bytes(Sample([9, 8, 7]));
        for (int i = 0; i < bytes.Length; i += Math.Max(1, bytes.Length / 97))
        {
            var bad = (byte[])bytes.Clone();
            bad[i] ^= 0x40;
            var e = Assert.Throws<VoxTileException>(() => PlanFile.Read(bad, "plan.vtp"));
            Assert.StartsWith("plan.vtp: ", e.Message);
        }
    }

    /// <summary>
    /// Plans written before the host figures (latency traced and untraced, DRAM peak per chip) joined the summary stay
    /// readable in format 1: the fields read as 0, and the costs compute them from the plan itself.
    /// </summary>
    [Fact]
    public void PlansWithoutTheHostFiguresStillRead()
    {
        var plan = Sample([1, 2, 3]) with
        {
            Summary = new PlanSummary { ModeledSeconds = 1e-3, ModeledLatencyTracedSeconds = 2e-3, ModeledLatencyUntracedSeconds = 9e-3, PeakDramBytesPerChip = 77 },
        };
        var bytes = Bytes(plan);
        Assert.Equal(2e-3, PlanFile.Read(bytes, "new.vtp").Summary.ModeledLatencyTracedSeconds);
        ulong headerLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(12));
        var header = System.Text.Json.Nodes.JsonNode.Parse(bytes.AsSpan(20, (int)headerLength))!.AsObject();
        var summary = header["summary"]!.AsObject();
        foreach (var field in new[] { "modeled_latency_traced_seconds", "modeled_latency_untraced_seconds", "peak_dram_bytes_per_chip" })
            Assert.True(summary.Remove(field), field);
        var oldHeader = System.Text.Encoding.UTF8.GetBytes(header.ToJsonString());
        var body = new List<byte>();
        body.AddRange(bytes.AsSpan(0, 12).ToArray());
        body.AddRange(BitConverter.GetBytes((ulong)oldHeader.Length));
        body.AddRange(oldHeader);
        body.AddRange(bytes.AsSpan(20 + (int)headerLength, bytes.Length - 32 - 20 - (int)headerLength).ToArray());
        body.AddRange(System.Security.Cryptography.SHA256.HashData(body.ToArray()));
        var old = PlanFile.Read(body.ToArray(), "old.vtp");
        Assert.Equal(DevicePlan.CurrentFormat, old.Format);
        Assert.Equal((0.0, 0.0, 0L), (old.Summary.ModeledLatencyTracedSeconds, old.Summary.ModeledLatencyUntracedSeconds, old.Summary.PeakDramBytesPerChip));
        Assert.Equal(1e-3, old.Summary.ModeledSeconds);
        Assert.Equal(plan.Blob, old.Blob);
    }

    [Fact]
    public void OtherFormatVersionsAreRefusedByName()
    {
        var bytes = Bytes(Sample([1]) with { Format = 7 });
        var e = Assert.Throws<VoxTileException>(() => PlanFile.Read(bytes, "old.vtp"));
        Assert.Contains("plan format 7", e.Message);
    }

    [Fact]
    public void TruncatedAndForeignFilesAreRefused()
    {
        var bytes = Bytes(Sample([1, 2]));
        Assert.Contains("checksum", Assert.Throws<VoxTileException>(() => PlanFile.Read(bytes[..^5], "p")).Message);
        Assert.Contains("not a VoxTile device plan", Assert.Throws<VoxTileException>(() => PlanFile.Read("hello world!!"u8.ToArray(), "p")).Message);
    }

    [Property(MaxTest = 50)]
    public void WeightsRoundTripThroughEveryDeviceFormat(PositiveInt rows, PositiveInt cols, int seed)
    {
        int r = rows.Get % 70 + 1, c = cols.Get % 70 + 1;
        var rng = new Random(seed);
        var t = new Tensor([r, c], [.. Enumerable.Range(0, r * c).Select(_ => (float)(rng.NextDouble() * 4 - 2))]);
        foreach (var (dt, layout, tol) in new[] { (DType.F32, Layout.RowMajor, 0.0), (DType.F32, Layout.Tile, 0.0), (DType.BF16, Layout.Tile, 1.0 / 128), (DType.BFP8_B, Layout.Tile, 1.0 / 32), (DType.BFP4_B, Layout.Tile, 0.5) })
        {
            var back = WeightPacking.Unpack(WeightPacking.Pack(t, dt, layout), [r, c], dt, layout);
            for (int i = 0; i < t.Data.Length; i++)
                Assert.True(Math.Abs(back.Data[i] - t.Data[i]) <= tol * 2 + 1e-7, $"{dt} {layout}: {t.Data[i]} → {back.Data[i]}");
        }
    }
}
