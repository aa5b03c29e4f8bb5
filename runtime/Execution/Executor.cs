using System.Diagnostics;
using VoxTile.IR;
using VoxTile.IR.Ops.Random;
using VoxTile.IR.Ops.Ttnn;
using VoxTile.Lowering.Plan;
using VoxTile.Runtime.Execution.Kernels;

namespace VoxTile.Runtime.Execution;

/// <summary>
/// Runs a loaded device plan: tt-mlir's flat program loop over a tensor pool. At construction the weights are
/// uploaded once from the plan's blob (DRAM, resident across runs) and every step is bound to its one kernel call
/// (<see cref="KernelFactory"/>; conv weights prepared once with vt_weights_create). The executor decides nothing:
/// what runs is the plan's steps, in the plan's order (fusion is the compiler's: lowering/Rules/Fuse). Each
/// <see cref="Run"/> writes the inputs and
/// walks the steps in order: <see cref="DeviceMemory"/> places each output where the plan says and checks its
/// circular buffers (an overflow fails at that op), the kernel runs and is timed (<see cref="OpTimings"/>, and a
/// <see cref="PerfettoTrace"/> when given), optionally checked against the op's fp32 reference
/// (<see cref="ReferenceCheck"/>); deallocate steps free. Tensors keep the plan's dtypes; TILE ones are held as rows
/// in host memory (<see cref="StoredType"/>). Buffers are pooled, so repeated runs (chunks) do not allocate.
/// </summary>
public sealed class Executor : IDisposable
{
    private readonly LoadedPlan _plan;
    private readonly IReadOnlyList<TensorType> _stored;
    private readonly ExecutorOptions _options;
    private readonly BufferPool _buffers = new() { Limit = 256L << 20 };
    private readonly TensorPool _weights;
    /// <summary>Each plan step's kernel (null for a deallocate).</summary>
    private readonly StepKernel?[] _kernelAt;
    private readonly long[] _bytes;
    private readonly long[] _cbBytes;
    private readonly HashSet<int> _weightIds = [];
    private readonly HashSet<int> _preparedOnly = [];
    private bool _disposed;

    public Executor(LoadedPlan plan, ExecutorOptions? options = null)
    {
        _plan = plan;
        _options = options ?? new ExecutorOptions();
        if (!_options.AllowHost) NativeCoverage.RequireNative(plan);
        NativeKernels.Init(_options.Threads);
        Memory = new DeviceMemory(plan.Target);
        var p = plan.Plan;
        int n = p.Tensors.Count;
        _bytes = new long[n];
        // A block-float conv weight is held as its f32 values in the conv's shape: the kernels prepare conv weights from
        // [C_out, C_in/groups, K...], and its bytes are in TTNN's prepared order instead (ConvWeightMatrix).
        _stored = [.. plan.Types.Select((t, i) => p.Tensors[i].Kind == PlanTensorKind.Weight && ConvWeightMatrix.Holds(t)
            ? t with { DType = DType.F32, Layout = Layout.RowMajor }
            : _options.PlanLayouts ? t : StoredType(t))];
        for (int i = 0; i < n; i++) _bytes[i] = DeviceTensor.BytesOf(_stored[i]);

        _weights = new TensorPool(n);
        foreach (var t in p.Tensors)
            if (t.Kind == PlanTensorKind.Weight) UploadWeight(t);

        _plan = plan.WithoutBlob();
        // Kernels are bound to the tensors as stored; the device memory keeps the plan's own types.
        var stored = new LoadedPlan(_plan.Plan, plan.Target, plan.Source, _stored, plan.Ops);
        var kernels = new StepKernel?[p.Steps.Count];
        try
        {
            for (int i = 0; i < kernels.Length; i++)
                if (!p.Steps[i].IsDeallocate) kernels[i] = KernelFactory.Create(stored, i, _weights);
        }
        catch
        {
            foreach (var k in kernels) k?.Release();
            FreeWeights();
            throw;
        }
        // Conv weights now live prepared in their kernels (vt_weights_create copies them): drop the uploaded ones no
        // other step reads.
        var readers = new Dictionary<int, int>();
        foreach (var k in kernels)
            if (k is not null)
                foreach (var id in k.Inputs.Where(_weightIds.Contains).Distinct()) readers[id] = readers.GetValueOrDefault(id) + 1;
        var prepared = kernels.Where(k => k is Conv1dKernel or Conv2dKernel or ConvTranspose1dKernel).Select(k => k!.Inputs[1]).ToHashSet();
        foreach (var id in _options.Check ? [] : _weightIds)
            if ((readers.GetValueOrDefault(id) == 0 || (readers[id] == 1 && prepared.Contains(id))) && _weights.TryGet(id) is { } w)
            {
                _weights.Remove(id);
                w.Buffer.Release();
                _preparedOnly.Add(id);
            }

        _kernelAt = kernels;
        Kernels = [.. kernels.Where(k => k is not null)!];

        // Circular buffers of every op of the plan, from the plan's own types (the device runs the plan's ops).
        _cbBytes = new long[kernels.Length];
        for (int i = 0; i < p.Steps.Count; i++)
            if (plan.Ops[i] is ITtnnOp t)
                _cbBytes[i] = t.WorkingSetBytes([.. p.Steps[i].Inputs.Select(id => plan.Types[id])], plan.Types[p.Steps[i].Output]);
    }

    public LoadedPlan Plan => _plan;
    public DeviceMemory Memory { get; }

    /// <summary>The bound kernels in execution order.</summary>
    internal IReadOnlyList<StepKernel> Kernels { get; }

    /// <summary>Plan steps whose op is a fusion the compiler made (a conv with an activation or an epilogue).</summary>
    public int FusedOps => Kernels.Count(k => k.Op is IR.Ops.Cpu.Conv1d || k.Op is Conv1d { Activation: not ConvActivation.None });

    /// <summary>Steps that run on the host (no native kernel for their op; only with <see cref="ExecutorOptions.AllowHost"/>).</summary>
    public int HostSteps => Kernels.Count(k => k.Family == "host");

    /// <summary>Floating-point work of one run.</summary>
    public double Flops => Kernels.Sum(k => k.Flops);

    public OpTimings Timings { get; } = new();

    /// <summary>Per-op comparisons of the last checked run (empty unless <see cref="ExecutorOptions.Check"/>).</summary>
    public ReferenceCheck Check { get; } = new();

    /// <summary>
    /// Runs the plan once. <paramref name="inputs"/> maps the plan's input names to fp32 values of their shapes;
    /// noise inputs not given are drawn from their seeds. <paramref name="observe"/> sees every tensor named in
    /// <see cref="ExecutorOptions.Keep"/> as it is computed. Returns the outputs in plan order, in fp32.
    /// </summary>
    public IReadOnlyList<Tensor> Run(IReadOnlyDictionary<string, Tensor> inputs, Action<string, Tensor>? observe = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var plan = _plan.Plan;
        var pool = new TensorPool(plan.Tensors.Count);
        foreach (var id in _weightIds)
            if (!_preparedOnly.Contains(id)) pool.Set(id, _weights[id]);
        long runStart = Stopwatch.GetTimestamp();
        try
        {
            foreach (var id in plan.Inputs) WriteInput(pool, id, inputs);
            for (int pos = 0; pos < plan.Steps.Count; pos++)
            {
                var s = plan.Steps[pos];
                Account(pos, s);
                if (s.IsDeallocate)
                {
                    int id = s.Inputs[0];
                    if (!_weightIds.Contains(id)) Free(pool, id);
                    continue;
                }
                Execute(pool, _kernelAt[pos]!, pos, observe);
            }
            var outputs = new List<Tensor>();
            foreach (var id in plan.Outputs) outputs.Add(pool[id].Download());
            Timings.EndRun(Stopwatch.GetElapsedTime(runStart));
            return outputs;
        }
        finally
        {
            for (int id = 0; id < pool.Count; id++)
            {
                if (_weightIds.Contains(id)) continue;
                if (pool.TryGet(id) is not null) Free(pool, id);
                Memory.Free(id);
            }
        }
    }

    private void Execute(TensorPool pool, StepKernel k, int pos, Action<string, Tensor>? observe)
    {
        int target = k.Output;
        var what = _plan.Describe(k.Step);
        var buffer = k.AliasOf >= 0 ? pool[k.AliasOf].Buffer.Share() : _buffers.Rent(_bytes[target]);
        var output = new DeviceTensor(_plan.Tensor(target), _stored[target], buffer);
        Tensor[]? checkInputs = _options.Check ? [.. k.Inputs.Select(i => pool[i].Download())] : null;
        long start = Stopwatch.GetTimestamp();
        try { k.Run(pool, output, what); }
        catch
        {
            buffer.Release();
            throw;
        }
        long end = Stopwatch.GetTimestamp();
        pool.Set(target, output);
        Timings.Add(k, _plan.Steps[k.Step], Stopwatch.GetElapsedTime(start, end));
        _options.Trace?.Op(k, _plan, start, end, Memory);
        if (checkInputs is not null) Check.Compare(pos, k, _plan, checkInputs, output.Download(), _options.CheckPcc);
        if (observe is not null && _options.Keep.Contains(output.Plan.Name)) observe(output.Plan.Name, output.Download());
    }

    private void WriteInput(TensorPool pool, int id, IReadOnlyDictionary<string, Tensor> inputs)
    {
        var t = _plan.Tensor(id);
        var type = _plan.Types[id];
        Tensor value;
        if (inputs.TryGetValue(t.Name, out var given)) value = given;
        else if (t.Kind == PlanTensorKind.Noise)
        {
            value = new Tensor(type.Shape.ToArray());
            RandnLike.Fill(value.Data, t.Seed ?? 0);
        }
        else throw new VoxTileException($"{_plan.Source}: input %{t.Name} ({type}) is not given (the plan takes {string.Join(", ", _plan.Plan.Inputs.Select(i => "%" + _plan.Tensor(i).Name))})");
        if (!value.Shape.SequenceEqual(type.Shape.ToArray()))
            throw new VoxTileException($"input %{t.Name} has shape {value.ShapeString}, the plan was compiled for {type}");
        Memory.Allocate(id, t.Name, type, $"input %{t.Name}");
        var dt = new DeviceTensor(t, _stored[id], _buffers.Rent(_bytes[id]));
        pool.Set(id, dt);
        dt.Upload(value.Data);
    }

    /// <summary>
    /// The device memory follows the plan step by step, whatever the kernels fuse: each op's output is placed where
    /// the plan puts it (a reshape TTNN views holds its operand's buffer) and its circular buffers checked against the
    /// live L1 tensors; a deallocate frees. So a plan
    /// that overflows fails at its op, as on the device, and the figures are the plan's.
    /// </summary>
    private void Account(int pos, PlanStep s)
    {
        if (s.IsDeallocate)
        {
            if (!_weightIds.Contains(s.Inputs[0])) Memory.Free(s.Inputs[0]);
            return;
        }
        var what = _plan.Describe(pos);
        if (_plan.Ops[pos] is Reshape && Reshape.IsView(_plan.Types[s.Inputs[0]], _plan.Types[s.Output])) Memory.Share(s.Output, s.Inputs[0], what);
        else Memory.Allocate(s.Output, _plan.Tensor(s.Output).Name, _plan.Types[s.Output], what);
        if (_cbBytes[pos] > 0) Memory.CheckCircularBuffers(_cbBytes[pos], what);
    }

    private void Free(TensorPool pool, int id) => pool.Remove(id)?.Buffer.Release();

    private void UploadWeight(PlanTensor t)
    {
        var type = _plan.Types[t.Id];
        // Conv weights and biases stay on the host (TTNN prepares them itself); the rest live in DRAM.
        if (type.Memory is not null) Memory.Allocate(t.Id, t.Name, type, $"weight %{t.Name}");
        var buffer = new DeviceBuffer(NativeKernels.Alloc(_bytes[t.Id]), _bytes[t.Id], null);
        var dt = new DeviceTensor(t, _stored[t.Id], buffer);
        WeightUpload.Write(dt, type, _plan.Plan.Blob.AsSpan((int)t.BlobOffset, (int)t.BlobLength));
        _weights.Set(t.Id, dt);
        _weightIds.Add(t.Id);
    }

    private void FreeWeights()
    {
        foreach (var id in _weightIds) _weights.TryGet(id)?.Buffer.Release();
        foreach (var id in _weightIds) _weights.Remove(id);
        _weightIds.Clear();
    }

    /// <summary>
    /// How a tensor is held in host memory: as the plan says, except that TILE is held ROW_MAJOR unless the dtype is
    /// a block float (which exists only in tiles). Tiles are an order of the same values plus padding the kernels
    /// never read, so every result is bit-identical; the CPU kernels run several times faster on rows. The device
    /// memory still accounts each tensor in its planned layout.
    /// </summary>
    public static TensorType StoredType(TensorType t) =>
        t.Layout == Layout.Tile && !t.DType.IsBlockFloat() ? t with { Layout = Layout.RowMajor } : t;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var k in Kernels) k.Release();
        FreeWeights();
        _buffers.Dispose();
    }
}
