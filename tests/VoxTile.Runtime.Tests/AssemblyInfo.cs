// The golden runs are heavy (whole converters through the runtime); run the classes one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
