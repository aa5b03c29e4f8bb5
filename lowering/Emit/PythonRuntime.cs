namespace VoxTile.Lowering.Emit;

/// <summary>
/// The fixed Python of every emitted program: shard helpers, host conversion, the mesh's mappers, the seeded noise
/// draw, input reading, the PCC check, the warm-up / trace capture / replay loop and <c>main</c>. Only ttnn calls that ../shared/spec/ttnn-api.json lists, with its keyword names.
/// </summary>
internal static class PythonRuntime
{
    public const string ShardingHelpers = """


def first_cores(count):
    "The first `count` Tensix cores of the grid, row by row: the cores a height- or width-sharded tensor of the plan spreads over."
    rows, rest = divmod(count, GRID_X)
    ranges = set()
    if rows:
        ranges.add(ttnn.CoreRange(ttnn.CoreCoord(0, 0), ttnn.CoreCoord(GRID_X - 1, rows - 1)))
    if rest:
        ranges.add(ttnn.CoreRange(ttnn.CoreCoord(0, rows), ttnn.CoreCoord(rest - 1, rows)))
    return ttnn.CoreRangeSet(ranges)


def core_block(x, y):
    "An x-by-y block of cores from (0, 0): a block-sharded tensor's shard columns along x, shard rows along y."
    return ttnn.CoreRangeSet({ttnn.CoreRange(ttnn.CoreCoord(0, 0), ttnn.CoreCoord(x - 1, y - 1))})


def sharded(memory_layout, buffer_type, grid, shard_shape):
    return ttnn.MemoryConfig(memory_layout, buffer_type, ttnn.ShardSpec(grid, shard_shape, ttnn.ShardOrientation.ROW_MAJOR))

""";

    public const string MeshHelper = """


def mesh_mappers(device):
    "(inputs, weights, outputs): the batch sharded on dim 0, weights replicated, outputs concatenated on dim 0; None on one chip, as tt-metal's get_mesh_mappers."
    if device.get_num_devices() == 1:
        return None, None, None
    return ttnn.ShardTensorToMesh(device, dim=0), ttnn.ReplicateTensorToMesh(device), ttnn.ConcatMeshToTensor(device, dim=0)

""";

    public const string HostHelper = """


def host(array, dtype):
    "A host torch tensor of an npz array, for ttnn.from_torch (which casts and tiles it)."
    return torch.from_numpy(np.ascontiguousarray(array, dtype=dtype))

""";

    public static string Epilogue(string graph, string model, bool audio) => Template
        .Replace("@GRAPH@", graph, StringComparison.Ordinal)
        .Replace("@MODEL@", model.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal), StringComparison.Ordinal)
        .Replace("@WAV@", audio ? WavOption : "", StringComparison.Ordinal)
        .Replace("@WAVWRITE@", audio ? WavWrite : "", StringComparison.Ordinal);

    private const string WavOption = """
    parser.add_argument("--wav", metavar="OUT.wav", help="also write AUDIO_OUTPUT as 16-bit PCM WAV at SAMPLE_RATE (one file per batch item, OUT.N.wav, for several)")

""";

    private const string WavWrite = """
    if args.wav:
        audio = outputs[AUDIO_OUTPUT]
        items = audio.shape[0] if audio.ndim > 1 else 1
        keep = audio.shape[-1]
        if AUDIO_INPUT in real:
            # The audio input was padded: keep the share of the output its real samples gave.
            keep = int(round(audio.shape[-1] * real[AUDIO_INPUT] / INPUTS[AUDIO_INPUT][0][-1]))
        for item in range(items):
            path = args.wav if items == 1 else f"{os.path.splitext(args.wav)[0]}.{item}.wav"
            length = keep
            if AUDIO_LENGTH is not None:
                # MeloTTS: the utterance fills y_length frames of the bucket; the rest is the decoder's output for padding.
                length = min(keep, int(np.asarray(outputs[AUDIO_LENGTH]).reshape(-1)[item]) * AUDIO_HOP)
            write_wav(path, (audio[item] if items > 1 else audio)[..., :length], SAMPLE_RATE)
            print(f"wrote {path}: {length / SAMPLE_RATE:.2f} s at {SAMPLE_RATE} Hz")

""";

    private const string Template = """


# ---------------------------------------------------------------------------------------------------------------
# Inputs, outputs and the check against VoxTile's reference: the same in every emitted program.


def randn(shape, seed):
    "VoxTile's seeded standard-normal draw (SplitMix64 and Box-Muller, as RandnLike.Fill), so the device sees the reference's noise."
    count = int(np.prod(shape))
    pairs = (count + 1) // 2
    with np.errstate(over="ignore"):
        z = np.uint64(seed % (1 << 64)) + np.arange(1, 2 * pairs + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))
    r = np.sqrt(-2.0 * np.log(1.0 - u[0::2]))
    values = np.empty(2 * pairs, dtype=np.float64)
    values[0::2] = r * np.cos(2 * np.pi * u[1::2])
    values[1::2] = r * np.sin(2 * np.pi * u[1::2])
    return values[:count].astype(np.float32).reshape(shape)


def load_input(name, path):
    "An input from a file: .npy as it is; .wav as float32 samples in [-1, 1] (16-bit PCM, channels averaged) at SAMPLE_RATE."
    if not os.path.exists(path):
        sys.exit(f"--input {name}: {path}: no such file")
    if not path.lower().endswith(".wav"):
        return np.load(path)
    with wave.open(path, "rb") as f:
        if f.getsampwidth() != 2:
            sys.exit(f"--input {name}: {path} is not 16-bit PCM; convert it, or give the samples as .npy")
        rate, channels, pcm = f.getframerate(), f.getnchannels(), f.readframes(f.getnframes())
    if SAMPLE_RATE is None or rate != SAMPLE_RATE:
        sys.exit(f"--input {name}: {path} is at {rate} Hz, the plan's audio at {SAMPLE_RATE} Hz: resample it "
                 f"(`voxtile emit --input {name}={path} --inputs-npz INPUTS.npz` does)")
    return (np.frombuffer(pcm, dtype="<i2").reshape(-1, channels).mean(axis=1) / 32768.0).astype(np.float32)


def fit(name, array, shape):
    "An input in the plan's shape, and its real length: the same shape, or a shorter last dim padded with zeros; anything else ends the program."
    array = np.asarray(array)
    missing = len(shape) - array.ndim
    if missing > 0 and all(d == 1 for d in shape[:missing]):
        array = array.reshape((1,) * missing + array.shape)
    if tuple(array.shape) == tuple(shape):
        return array, shape[-1]
    if array.ndim != len(shape) or tuple(array.shape[:-1]) != tuple(shape[:-1]):
        sys.exit(f"input {name} has shape {list(array.shape)}; the plan was compiled for {list(shape)} (only the last dim may be shorter)")
    if array.shape[-1] > shape[-1]:
        sys.exit(f"input {name} has {array.shape[-1]} values on its last dim; the plan was compiled for at most {shape[-1]}: emit a plan for longer input")
    padded = np.zeros(shape, dtype=array.dtype)
    padded[..., :array.shape[-1]] = array
    print(f"input {name}: {array.shape[-1]} of {shape[-1]} values given, the rest padded with zeros")
    return padded, array.shape[-1]


def read_inputs(files, path, reference):
    # Each input from --input NAME=FILE, else --inputs, else the reference file (its input.NAME entries), else drawn
    # from a noise seed, else (a length input) the real length of the input it measures. Returns the arrays and the
    # real length of each input given shorter than the plan's.
    given = np.load(path) if path else None
    arrays, real = {}, {}
    for name, (shape, seed) in INPUTS.items():
        if name in files:
            array = load_input(name, files[name])
        elif given is not None and name in given.files:
            array = given[name]
        elif reference is not None and "input." + name in reference.files:
            array = reference["input." + name]
        elif seed is not None:
            array = randn(shape, seed)
        elif name in LENGTHS:
            continue
        else:
            sys.exit(f"input {name} {list(shape)} is missing: pass --input {name}=FILE or --inputs INPUTS.npz (`voxtile emit --inputs-npz` writes one)")
        arrays[name], length = fit(name, array, shape)
        if length != shape[-1]:
            real[name] = length
    for name, measured in LENGTHS.items():
        if name not in arrays:
            if measured not in arrays:
                sys.exit(f"input {name} is missing and so is {measured}, whose length it holds")
            shape = INPUTS[name][0]
            arrays[name] = np.full(shape, real.get(measured, INPUTS[measured][0][-1]), dtype=np.float32)
    return arrays, real


def pcc(expected, actual):
    "Pearson correlation of the flattened tensors, in float64."
    a = np.asarray(expected, dtype=np.float64).ravel()
    b = np.asarray(actual, dtype=np.float64).ravel()
    if not np.isfinite(b).all():
        return float("nan")
    da, db = a - a.mean(), b - b.mean()
    denominator = np.sqrt((da * da).sum() * (db * db).sum())
    if denominator == 0:
        return 1.0 if np.array_equal(a, b) else 0.0
    return float((da * db).sum() / denominator)


class Checker:
    "Compares tensors with VoxTile's reference values (`voxtile emit --reference-npz`): intermediates per tensor, outputs per batch item."

    def __init__(self, reference):
        self.reference = reference
        self.names = set(reference.files)
        self.compared = set()
        self.rows = []
        self.composer = None  # how a tensor on the mesh reads back (set once the mesh is open)

    def tap(self, name, tensor):
        "An intermediate of the warm-up run (never of a captured run: reading the device inside a capture breaks the trace)."
        if name in self.names:
            self.compare(name, ttnn.to_torch(tensor, mesh_composer=self.composer).float().numpy())

    def compare(self, name, actual):
        self.compared.add(name)
        self.row(name, self.reference[name], actual)

    def compare_items(self, name, actual):
        "An output item by item: dim 0 holds every chip's items, each compared with its own reference item."
        expected = self.reference[name]
        if actual.ndim == 0 or actual.shape[0] == 1 or expected.ndim == 0 or expected.shape[0] != actual.shape[0] or expected.size != actual.size:
            self.compare(name, actual)
            return
        self.compared.add(name)
        for item in range(actual.shape[0]):
            self.row(f"{name}[{item}]", expected[item], actual[item])

    def row(self, label, expected, actual):
        if expected.size != actual.size:
            self.rows.append((label, f"{list(actual.shape)} vs {list(expected.shape)}", float("nan"), float("nan")))
            return
        error = float(np.max(np.abs(expected.astype(np.float64).ravel() - actual.astype(np.float64).ravel()))) if expected.size else 0.0
        self.rows.append((label, str(list(actual.shape)), pcc(expected, actual), error))

    def report(self, pcc_min):
        print(f"{'tensor':<40} {'shape':<24} {'pcc':>10} {'max abs err':>12}")
        ok = True
        for name, shape, value, error in self.rows:
            good = value >= pcc_min
            ok = ok and good
            print(f"{name:<40} {shape:<24} {value:>10.6f} {error:>12.4g}{'' if good else '  below ' + str(pcc_min)}")
        missing = sorted(n for n in self.names if not n.startswith("input.") and n not in self.compared)
        if missing:
            print(f"not compared (no such tensor in this program): {', '.join(missing)}")
        print(f"{len(self.rows)} comparisons (intermediates per tensor, outputs per batch item), {'all' if ok else 'not all'} at PCC >= {pcc_min}")
        return ok and bool(self.rows)


def skip(name, tensor):
    pass


def write_wav(path, samples, rate):
    pcm = np.round(np.clip(np.asarray(samples, dtype=np.float64).ravel(), -1.0, 1.0) * 32767.0).astype("<i2")
    with wave.open(path, "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes(pcm.tobytes())


# ---------------------------------------------------------------------------------------------------------------
# Running: a warm-up run, then a trace captured once and replayed per run (tt-metal's trace pattern, ttnn-api-notes §6).


def write_inputs(H, X):
    "The host inputs into the persistent device inputs, in place: a trace replays fixed addresses."
    for name, host_tensor in H.items():
        ttnn.copy_host_to_device_tensor(host_tensor, X[name])


def read_outputs(Y, composer):
    "The outputs on the host, every chip's items concatenated on dim 0."
    return {name: ttnn.to_torch(Y[name], mesh_composer=composer).float().numpy() for name in OUTPUTS}


def free_outputs(Y, X):
    "Frees a run's outputs (not an input the plan returns unchanged), so that the next run allocates as this one did."
    kept = {id(x) for x in X.values()}
    for tensor in Y.values():
        if id(tensor) not in kept:
            kept.add(id(tensor))
            ttnn.deallocate(tensor)


def execute(device, W, H, X, composer, args, checker):
    # The warm-up run (it compiles every program and has TTNN prepare the conv weights, which W keeps; --check taps the
    # intermediates here), then --runs timed runs: replays of a trace of run, or with --no-trace run dispatched again.
    start = time.perf_counter()
    Y = run(device, W, X, checker.tap if checker is not None else skip)
    ttnn.synchronize_device(device)
    print(f"warm-up: {time.perf_counter() - start:.3f} s (compiles the programs, prepares the conv weights)")
    free_outputs(Y, X)
    if args.no_trace:
        for i in range(args.runs):
            start = time.perf_counter()
            write_inputs(H, X)
            Y = run(device, W, X, skip)
            outputs = read_outputs(Y, composer)
            free_outputs(Y, X)
            print(f"run {i + 1}: {time.perf_counter() - start:.3f} s (untraced)")
        return outputs
    ttnn.synchronize_device(device)
    trace = ttnn.begin_trace_capture(device, cq_id=0)
    Y = run(device, W, X, skip)
    ttnn.end_trace_capture(device, trace, cq_id=0)
    try:
        for i in range(args.runs):
            start = time.perf_counter()
            write_inputs(H, X)
            ttnn.execute_trace(device, trace, cq_id=0, blocking=True)
            outputs = read_outputs(Y, composer)
            print(f"run {i + 1}: {time.perf_counter() - start:.3f} s (trace replay)")
    finally:
        ttnn.release_trace(device, trace)
    return outputs


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run VoxTile's device plan @@GRAPH@ (@MODEL@) on a Tenstorrent device through TTNN.")
    parser.add_argument("--input", action="append", default=[], metavar="NAME=FILE",
                        help="one input from a file: .npy, or .wav (16-bit PCM at SAMPLE_RATE) for audio; a shorter last dim is padded with zeros")
    parser.add_argument("--inputs", metavar="INPUTS.npz", help="the program's inputs by name (`voxtile emit --inputs-npz` writes them)")
    parser.add_argument("--output", "-o", metavar="OUT.npz", default="outputs.npz", help="where to write the outputs (default outputs.npz)")
@WAV@    parser.add_argument("--check", metavar="REFERENCE.npz", help="compare the named intermediates (per tensor) and the outputs (per batch item) with VoxTile's reference values and print PCC")
    parser.add_argument("--pcc-min", type=float, default=0.99, help="the PCC below which --check fails (default 0.99)")
    parser.add_argument("--weights", metavar="WEIGHTS.npz", default=WEIGHTS, help="the weights file (default: the one beside this program)")
    parser.add_argument("--runs", type=int, default=1, help="timed runs after the warm-up, each printing its wall time: replays of the captured trace (default 1)")
    parser.add_argument("--no-trace", action="store_true", help="dispatch every op from Python on every run instead of replaying a trace (for debugging)")
    parser.add_argument("--trace-region-size", type=int, metavar="BYTES", default=TRACE_REGION_SIZE,
                        help="DRAM reserved for the trace (default TRACE_REGION_SIZE, estimated from the op count); raise it if capture asks for more")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    files = {}
    for spec in args.input:
        name, _, path = spec.partition("=")
        if name not in INPUTS or not path:
            parser.error(f"--input {spec}: expected NAME=FILE with NAME one of {', '.join(INPUTS)}")
        files[name] = path
    reference = np.load(args.check) if args.check else None
    arrays, real = read_inputs(files, args.inputs, reference)
    checker = Checker(reference) if reference is not None else None
    device = ttnn.open_mesh_device(mesh_shape=ttnn.MeshShape(MESH_SHAPE[0], MESH_SHAPE[1]), l1_small_size=L1_SMALL_SIZE,
                                   trace_region_size=0 if args.no_trace else args.trace_region_size)
    try:
        inputs_mapper, weights_mapper, composer = mesh_mappers(device)
        if checker is not None:
            checker.composer = composer
        W = load_weights(device, weights_mapper, args.weights)
        H = host_inputs(arrays, inputs_mapper)
        X = upload_inputs(device, arrays, inputs_mapper)
        outputs = execute(device, W, H, X, composer, args, checker)
    finally:
        ttnn.close_mesh_device(device)
    np.savez(args.output, **outputs)
    print(f"wrote {args.output}: " + ", ".join(f"{name} {list(value.shape)}" for name, value in outputs.items()))
@WAVWRITE@    if checker is None:
        return 0
    for name in OUTPUTS:
        checker.compare_items(name, outputs[name])
    return 0 if checker.report(args.pcc_min) else 1


if __name__ == "__main__":
    sys.exit(main())

""";
}
