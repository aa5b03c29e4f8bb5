using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using VoxTile.Bench;
using VoxTile.IR.IO;

// ONNX Runtime's side of `voxtile bench converter`: the exported OpenVoice V2 converter (a weight-stripped skeleton,
// refilled in memory) timed on the inputs the benchmark wrote, with the same thread count.
//   VoxTile.Bench SKELETON.onnx INPUT_DIR AUDIO_SECONDS THREADS [REPEATS]
// INPUT_DIR holds spec.npy, se_src.npy, se_tgt.npy and noise.npy. Prints one line:
//   onnxruntime threads=T audio_s=S best_wall_s=W rtf=R
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: VoxTile.Bench SKELETON.onnx INPUT_DIR AUDIO_SECONDS THREADS [REPEATS]");
    return 2;
}
var model = OnnxWeights.Fill(File.ReadAllBytes(args[0]), seed: 0);
double seconds = double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
int threads = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
int repeats = args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 3;
using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
using var session = new InferenceSession(model, options);
NamedOnnxValue Input(string name)
{
    var t = Npy.Read(Path.Combine(args[1], name + ".npy"));
    return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(t.Data, t.Shape));
}
var inputs = new List<NamedOnnxValue> { Input("spec"), Input("se_src"), Input("se_tgt"), Input("noise") };
double best = double.MaxValue;
for (int i = 0; i < repeats; i++)
{
    var sw = Stopwatch.StartNew();
    using var results = session.Run(inputs);
    best = Math.Min(best, sw.Elapsed.TotalSeconds);
}
Console.WriteLine(FormattableString.Invariant($"onnxruntime threads={threads} audio_s={seconds:F2} best_wall_s={best:F3} rtf={best / seconds:F4}"));
return 0;
