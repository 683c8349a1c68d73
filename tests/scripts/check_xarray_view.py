"""Checks the labelled view of a csd dataset (schema version 2) that xarray gives through
the h5netcdf engine against the raw arrays h5py reads: dimension names, the coordinates
t, y and x computed from the stored physics, selection by t, units, and the energy group.
Usage: check_xarray_view.py DATA.h5 ; exits non-zero with the first difference."""
import sys

import h5py
import numpy as np
import xarray as xr

path = sys.argv[1]
with h5py.File(path, "r") as f:
    phi = f["phi"][()]
    eta = f["eta"][()]
    energy = {k: f["energy"][k][()] for k in ("grad", "w", "rho", "f", "total")}
    tau = int(f.attrs["steps_per_frame"]) * float(f.attrs["dt"])
    h = float(f.attrs["grid_spacing"])
    assert int(f.attrs["version"]) == 2, f.attrs["version"]
S, T, N, _ = phi.shape

ds = xr.open_dataset(path, engine="h5netcdf")
assert ds["phi"].dims == ("sequence", "frame", "y", "x"), ds["phi"].dims
assert ds["phi"].shape == phi.shape
assert "t" in ds["phi"].coords, list(ds["phi"].coords)
assert ds["t"].dims == ("frame",), ds["t"].dims
np.testing.assert_allclose(ds["t"].values, np.arange(T) * tau, rtol=1e-12, atol=0)
np.testing.assert_allclose(ds["x"].values, np.arange(N) * h, rtol=1e-12, atol=0)
np.testing.assert_allclose(ds["y"].values, np.arange(N) * h, rtol=1e-12, atol=0)
np.testing.assert_array_equal(ds["sequence"].values, np.arange(S))
np.testing.assert_array_equal(ds["frame"].values, np.arange(T))
for name in ("phi", "eta", "mean_phi", "t", "x", "y"):
    assert ds[name].attrs.get("units") == "1", (name, ds[name].attrs)
    assert ds[name].attrs.get("long_name"), (name, ds[name].attrs)
assert ds["eta"].dims == ("sequence",)
np.testing.assert_array_equal(ds["eta"].values, eta)

# Select by physical time: exactly, and the nearest frame to a time between two frames.
by_t = ds["phi"].swap_dims(frame="t")
last = S - 1
for j in range(T):
    picked = by_t.sel(t=j * tau, sequence=last)
    np.testing.assert_array_equal(picked.values, phi[last, j])
    assert int(picked["frame"]) == j
nearest = by_t.sel(t=(T - 1.3) * tau, method="nearest", sequence=0)
np.testing.assert_array_equal(nearest.values, phi[0, T - 1])
# ... and by position: the pixel at x = 3h, y = 2h is column 3, row 2.
np.testing.assert_array_equal(
    ds["phi"].sel(x=3 * h, y=2 * h).values, phi[:, :, 2, 3])

en = xr.open_dataset(path, engine="h5netcdf", group="energy")
for name, values in energy.items():
    assert en[name].dims == ("sequence", "frame"), (name, en[name].dims)
    np.testing.assert_array_equal(en[name].values, values)
    assert en[name].attrs.get("units") == "1" and en[name].attrs.get("long_name"), name
print(f"xarray view of {path}: phi{ds['phi'].dims} {phi.shape}, t = 0 … {float(ds['t'][-1]):g}, "
      f"h = {h:g}: equal to h5py")
