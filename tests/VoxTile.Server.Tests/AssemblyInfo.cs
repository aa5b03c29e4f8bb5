// Servers of different test classes would share the process's one native kernel pool and the static metrics; one class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
