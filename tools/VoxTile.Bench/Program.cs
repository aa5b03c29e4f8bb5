using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using VoxTile.Bench;
using VoxTile.IR.IO;

// ONNX Runtime's side of `voxtile bench converter`: the exported OpenVoice V2 converter (a weight-stripped skeleton,
// refilled in memory) timed on the inputs the benchmark wrote, with the same thread count.
//   VoxTile.Bench SKELETON.onnx INPUT_DIR AUDIO_SECONDS THREADS [REPEATS | serve]
// INPUT_DIR holds spec.npy, se_src.npy, se_tgt.npy and noise.npy. With REPEATS (default 3) it prints one line:
//   onnxruntime threads=T audio_s=S best_wall_s=W rtf=R
// With "serve" it runs once to warm up, prints "ready", then for each "run" line on standard input times one run and
// prints "wall_s=W"; it exits at the end of its input. `voxtile bench converter` drives it this way so that its own
// runs and ONNX Runtime's alternate on the same machine state.
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: VoxTile.Bench SKELETON.onnx INPUT_DIR AUDIO_SECONDS THREADS [REPEATS | serve]");
    return 2;
}
var model = OnnxWeights.Fill(File.ReadAllBytes(args[0]), seed: 0);
double seconds = double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
int threads = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
bool serve = args.Length > 4 && args[4] == "serve";
int repeats = args.Length > 4 && !serve ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 3;
using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
using var session = new InferenceSession(model, options);
NamedOnnxValue Input(string name)
{
    var t = Npy.Read(Path.Combine(args[1], name + ".npy"));
    return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(t.Data, t.Shape));
}
var inputs = new List<NamedOnnxValue> { Input("spec"), Input("se_src"), Input("se_tgt"), Input("noise") };
double TimeOneRun()
{
    var sw = Stopwatch.StartNew();
    using var results = session.Run(inputs);
    return sw.Elapsed.TotalSeconds;
}
if (serve)
{
    TimeOneRun();
    Console.WriteLine("ready");
    while (Console.ReadLine() is { } command)
    {
        if (command.Trim() != "run")
        {
            Console.Error.WriteLine($"VoxTile.Bench: unknown command '{command}' (serve mode reads \"run\" lines)");
            return 2;
        }
        Console.WriteLine(FormattableString.Invariant($"wall_s={TimeOneRun():F6}"));
    }
    return 0;
}
double best = double.MaxValue;
for (int i = 0; i < repeats; i++) best = Math.Min(best, TimeOneRun());
Console.WriteLine(FormattableString.Invariant($"onnxruntime threads={threads} audio_s={seconds:F2} best_wall_s={best:F3} rtf={best / seconds:F4}"));
return 0;
