using System.Collections;
using Razorvine.Pickle;

namespace VoxTile.Models.Checkpoints;

/// <summary>collections.OrderedDict(): torch.save reduces it with no arguments and fills it with SETITEMS.</summary>
internal sealed class OrderedDictConstructor : IObjectConstructor
{
    public object construct(object[] args)
    {
        PickleTicks.Next();
        var dict = new PickledOrderedDict();
        if (args.Length == 0) return dict;
        // OrderedDict([(k, v), ...]) also appears in hand-written pickles; accept a list of pairs and nothing else.
        if (args.Length == 1 && args[0] is IEnumerable items and not string)
        {
            foreach (var item in items)
            {
                if (item is not object[] { Length: 2 } pair || pair[0] is null)
                    throw new PickleException("OrderedDict() argument is not a list of (key, value) pairs");
                dict.AddInOrder(pair[0], pair[1]);
            }
            return dict;
        }
        throw new PickleException($"OrderedDict() called with {args.Length} arguments");
    }
}
