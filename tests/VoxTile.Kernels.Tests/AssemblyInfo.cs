// The instruction-set variant is process-wide native state (vt_set_isa): tests that switch it must not overlap.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
