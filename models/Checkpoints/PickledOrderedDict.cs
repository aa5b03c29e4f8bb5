using System.Collections;

namespace VoxTile.Models.Checkpoints;

/// <summary>
/// collections.OrderedDict as the unpickler sees it. It must be a Hashtable because Razorvine's SETITEM/SETITEMS cast the
/// target to one; it keeps an insertion log so the state dict keeps the file's key order, and it accepts the BUILD
/// state torch.save attaches (<c>{'_metadata': ...}</c>, the per-module version numbers, which inference ignores).
/// </summary>
internal sealed class PickledOrderedDict : Hashtable
{
    private readonly List<(object Key, long Tick)> _log = [];

    public Hashtable? State { get; private set; }

    public override object? this[object key]
    {
        get => base[key];
        set
        {
            _log.Add((key, PickleTicks.Current));
            base[key] = value;
        }
    }

    public override void Add(object key, object? value)
    {
        _log.Add((key, PickleTicks.Current));
        base.Add(key, value);
    }

    /// <summary>Insert one pair as its own batch (the <c>OrderedDict([(k, v), ...])</c> form is already in order).</summary>
    public void AddInOrder(object key, object? value)
    {
        _log.Add((key, PickleTicks.Next()));
        base[key] = value;
        PickleTicks.Next();
    }

    // Called by Razorvine's BUILD through reflection; the name is fixed by that contract.
    public void __setstate__(Hashtable state) => State = state;

    /// <summary>
    /// Keys in the order the pickle wrote them: each run of inserts with one tick is a SETITEMS batch that Razorvine applied
    /// back to front, so it is reversed; a key set twice keeps its first place, as in Python.
    /// </summary>
    public IReadOnlyList<object> OrderedKeys()
    {
        var order = new List<object>(Count);
        var seen = new HashSet<object>();
        int i = 0;
        while (i < _log.Count)
        {
            int j = i;
            while (j + 1 < _log.Count && _log[j + 1].Tick == _log[i].Tick) j++;
            for (int k = j; k >= i; k--)
                if (seen.Add(_log[k].Key)) order.Add(_log[k].Key);
            i = j + 1;
        }
        return order;
    }
}
