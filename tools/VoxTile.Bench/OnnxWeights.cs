namespace VoxTile.Bench;

/// <summary>
/// Refills a weight-stripped ONNX skeleton (../shared/peers/onnx_weights.py's <c>strip</c>) in memory: every float
/// initializer whose doc_string is "stripped" gets raw data drawn again, normal with std 1/√fan-in, as that script's
/// <c>fill</c> does. Timing depends on shapes, not values. Written against the protobuf wire format directly (the
/// few ModelProto/GraphProto/TensorProto fields involved), so the benchmark needs no protobuf or onnx package.
/// </summary>
public static class OnnxWeights
{
    private const int ModelGraph = 7, GraphInitializer = 5;
    private const int TensorDims = 1, TensorDataType = 2, TensorFloatData = 4, TensorRawData = 9, TensorDocString = 12;
    private const int Float = 1;

    public static byte[] Fill(byte[] model, int seed)
    {
        var rng = new Random(seed);
        return Rewrite(model, (field, value) => field == ModelGraph
            ? Rewrite(value, (f, v) => f == GraphInitializer ? FillTensor(v, rng) : null)
            : null);
    }

    /// <summary>Copies a message, replacing the length-delimited fields for which <paramref name="replace"/> gives new bytes.</summary>
    private static byte[] Rewrite(byte[] message, Func<int, byte[], byte[]?> replace)
    {
        using var o = new MemoryStream(message.Length + 1024);
        int pos = 0;
        while (pos < message.Length)
        {
            int start = pos;
            ulong key = ReadVarint(message, ref pos);
            int field = (int)(key >> 3), wire = (int)(key & 7);
            if (wire == 2)
            {
                int len = checked((int)ReadVarint(message, ref pos));
                var value = message.AsSpan(pos, len).ToArray();
                pos += len;
                var repl = replace(field, value);
                if (repl is null) o.Write(message, start, pos - start);
                else
                {
                    WriteVarint(o, key);
                    WriteVarint(o, (ulong)repl.Length);
                    o.Write(repl);
                }
                continue;
            }
            Skip(message, ref pos, wire);
            o.Write(message, start, pos - start);
        }
        return o.ToArray();
    }

    private static byte[]? FillTensor(byte[] tensor, Random rng)
    {
        var dims = new List<long>();
        int dataType = 0;
        string doc = "";
        int pos = 0;
        while (pos < tensor.Length)
        {
            ulong key = ReadVarint(tensor, ref pos);
            int field = (int)(key >> 3), wire = (int)(key & 7);
            if (field == TensorDims && wire == 0) dims.Add((long)ReadVarint(tensor, ref pos));
            else if (field == TensorDims && wire == 2)
            {
                int len = (int)ReadVarint(tensor, ref pos);
                int end = pos + len;
                while (pos < end) dims.Add((long)ReadVarint(tensor, ref pos));
            }
            else if (field == TensorDataType && wire == 0) dataType = (int)ReadVarint(tensor, ref pos);
            else if (field == TensorDocString && wire == 2)
            {
                int len = (int)ReadVarint(tensor, ref pos);
                doc = System.Text.Encoding.UTF8.GetString(tensor, pos, len);
                pos += len;
            }
            else Skip(tensor, ref pos, wire);
        }
        if (doc != "stripped") return null;
        if (dataType != Float) throw new InvalidDataException($"stripped initializer of data type {dataType}: only float ones can be drawn again");
        long count = dims.Aggregate(1L, (a, d) => a * d);
        long fanIn = dims.Count > 1 ? dims.Skip(1).Aggregate(1L, (a, d) => a * d) : 1;
        double std = 1 / Math.Sqrt(Math.Max(1, fanIn));
        var raw = new byte[count * 4];
        for (long i = 0; i < count; i++)
        {
            double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
            float v = (float)(std * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
            BitConverter.TryWriteBytes(raw.AsSpan((int)(i * 4)), v);
        }
        // Drop the old payload and the marker; append the raw data.
        var kept = Rewrite(tensor, (f, v) => f is TensorDocString or TensorRawData or TensorFloatData ? [] : null);
        using var o = new MemoryStream();
        int p = 0;
        while (p < kept.Length)
        {
            int s = p;
            ulong key = ReadVarint(kept, ref p);
            int field = (int)(key >> 3), wire = (int)(key & 7);
            if (wire == 2)
            {
                int len = (int)ReadVarint(kept, ref p);
                p += len;
                if (len == 0 && field is TensorDocString or TensorRawData or TensorFloatData) continue;
            }
            else Skip(kept, ref p, wire);
            o.Write(kept, s, p - s);
        }
        WriteVarint(o, (TensorRawData << 3) | 2);
        WriteVarint(o, (ulong)raw.Length);
        o.Write(raw);
        return o.ToArray();
    }

    private static ulong ReadVarint(byte[] b, ref int pos)
    {
        ulong v = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte x = b[pos++];
            v |= (ulong)(x & 0x7F) << shift;
            if (x < 0x80) return v;
        }
    }

    private static void WriteVarint(Stream s, ulong v)
    {
        while (v >= 0x80)
        {
            s.WriteByte((byte)(v | 0x80));
            v >>= 7;
        }
        s.WriteByte((byte)v);
    }

    private static void Skip(byte[] b, ref int pos, int wire)
    {
        switch (wire)
        {
            case 0: ReadVarint(b, ref pos); break;
            case 1: pos += 8; break;
            case 2:
                int len = (int)ReadVarint(b, ref pos); // read before adding: `pos += Read(ref pos)` would add to the old pos
                pos += len;
                break;
            case 5: pos += 4; break;
            default: throw new InvalidDataException($"protobuf wire type {wire} is not supported");
        }
    }
}
