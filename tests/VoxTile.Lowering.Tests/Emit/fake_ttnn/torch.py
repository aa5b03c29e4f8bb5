"""The few torch calls an emitted program makes (torch.from_numpy, Tensor.float, Tensor.numpy), for running it with the fake ttnn."""

import numpy as np


class Tensor:
    def __init__(self, array):
        self._array = array

    def float(self):
        return Tensor(self._array.astype(np.float32))

    def numpy(self):
        return self._array


def from_numpy(array):
    return Tensor(np.asarray(array))
