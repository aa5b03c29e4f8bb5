// The command line writes to the process-wide Console; its tests must not overlap.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
