#pragma once
/// XDMF descriptions of a dataset's frames, for ParaView and VisIt: a small XML file
/// that points into the HDF5 file, so no frame is copied.
///
/// One sequence s is a temporal collection of T uniform grids: a co-rectilinear mesh of
/// N×N nodes at (i·h, j·h) in the x-y plane (h = grid_spacing, the node order of /phi),
/// with φ of frame j as the node attribute "phi", read as the hyperslab [s, j, 0:N, 0:N]
/// of /phi, at time t = j·τ (τ = steps_per_frame·dt): the coordinates of the labelled
/// dataset (io/dataset.h, schema version 2).
///
/// The document is XDMF 2 (Version="2.0"), the model of ParaView's "XDMF Reader" and of
/// VisIt. ParaView 5.11's Xdmf3 readers, which it offers first for .xdmf files, read the
/// times and the mesh but not HyperSlab data items (docs/architecture.md §4).
#include <string>

#include "csd/io/dataset.h"

namespace csd::io {

/// The XDMF document for sequence `sequence` of a dataset of shape `shape` and physics
/// `physics`, whose HDF5 file the document names `hdf5_reference` (a path relative to
/// the document's folder, or absolute). Throws csd::Error on a sequence outside the
/// shape or a reference that XDMF cannot hold (empty, or containing ':').
std::string xdmf_document(const DatasetShape& shape, const physics::Params& physics,
                          int sequence, const std::string& hdf5_reference);

}  // namespace csd::io
