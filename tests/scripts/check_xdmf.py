"""Reads an XDMF file that csd export wrote the way an XDMF reader does (XDMF 2: a temporal
collection of uniform grids, 3DCoRectMesh one node thick + ORIGIN_DXDYDZ, HyperSlab data
items over an HDF5 file named relative to the XDMF file) and checks every frame against h5py's read of
/phi[sequence, frame] of DATA.h5, the times against j * steps_per_frame * dt and the
spacing against grid_spacing.
Usage: check_xdmf.py FILE.xdmf DATA.h5 SEQUENCE ; exits non-zero with the first difference."""
import os
import sys
import xml.etree.ElementTree as ET

import h5py
import numpy as np

xdmf_path, data_path, sequence = sys.argv[1], sys.argv[2], int(sys.argv[3])
with h5py.File(data_path, "r") as f:
    phi = f["phi"][sequence]
    tau = int(f.attrs["steps_per_frame"]) * float(f.attrs["dt"])
    h = float(f.attrs["grid_spacing"])
    shape = f["phi"].shape
T, N = phi.shape[0], phi.shape[1]

root = ET.parse(xdmf_path).getroot()
assert root.tag == "Xdmf" and root.get("Version", "").startswith("2"), root.attrib
(domain,) = list(root)
(collection,) = list(domain)
assert collection.get("GridType") == "Collection", collection.attrib
assert collection.get("CollectionType") == "Temporal", collection.attrib
grids = list(collection)
assert len(grids) == T, (len(grids), T)


def numbers(item, dtype):
    assert item.get("Format") == "XML", item.attrib
    values = np.array(item.text.split(), dtype=dtype)
    return values.reshape([int(d) for d in item.get("Dimensions").split()])


def hyperslab(item):
    """The values of a HyperSlab data item: start, stride and count rows over an HDF item."""
    assert item.get("ItemType") == "HyperSlab", item.attrib
    selection, source = list(item)
    start, stride, count = numbers(selection, int)
    assert source.get("Format") == "HDF", source.attrib
    assert source.get("NumberType", "Float") == "Float" and source.get("Precision") == "4"
    file_name, dataset = source.text.strip().split(":")
    # The HDF5 file is named relative to the XDMF file's folder.
    resolved = os.path.join(os.path.dirname(os.path.abspath(xdmf_path)), file_name)
    assert os.path.samefile(resolved, data_path), (resolved, data_path)
    with h5py.File(resolved, "r") as f:
        stored = f[dataset]
        assert list(stored.shape) == [int(d) for d in source.get("Dimensions").split()]
        index = tuple(slice(b, b + c * s, s) for b, s, c in zip(start, stride, count))
        values = stored[index]
    # The result has the item's Dimensions: the same values, reshaped.
    dims = [int(d) for d in item.get("Dimensions").split()]
    assert values.size == np.prod(dims), (values.shape, dims)
    return values.reshape(dims)


for j, grid in enumerate(grids):
    assert grid.get("GridType") == "Uniform", grid.attrib
    time = float(grid.find("Time").get("Value"))
    assert abs(time - j * tau) <= 1e-12 * max(1.0, j * tau), (j, time, j * tau)
    topology = grid.find("Topology")
    assert topology.get("TopologyType") == "3DCoRectMesh", topology.attrib
    assert topology.get("Dimensions").split() == ["1", str(N), str(N)], topology.attrib
    geometry = grid.find("Geometry")
    assert geometry.get("GeometryType") == "ORIGIN_DXDYDZ", geometry.attrib
    origin, spacing = [numbers(item, float) for item in geometry.findall("DataItem")]
    np.testing.assert_array_equal(origin, [0.0, 0.0, 0.0])
    np.testing.assert_allclose(spacing, [h, h, h], rtol=1e-15)
    (attribute,) = grid.findall("Attribute")
    assert attribute.get("Name") == "phi" and attribute.get("Center") == "Node", attribute.attrib
    (item,) = list(attribute)
    values = hyperslab(item)[0]
    np.testing.assert_array_equal(values, phi[j])
print(f"{xdmf_path}: {T} frames of sequence {sequence} of {data_path} {shape}, "
      f"t = 0 … {(T - 1) * tau:g}, h = {h:g}: equal to h5py")
