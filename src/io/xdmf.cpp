// XDMF documents over a dataset's HDF5 frames (contract in include/csd/io/xdmf.h).
#include "csd/io/xdmf.h"

#include <spdlog/fmt/fmt.h>

#include "csd/core/error.h"
#include "dataset_schema.h"

namespace csd::io {
namespace {

/// `text` with the five XML special characters escaped, for attribute values and text.
std::string xml_escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

/// One frame: the mesh and φ as a hyperslab of /phi. The mesh is a 3D co-rectilinear
/// mesh one node thick (Dimensions in z y x order), which VTK readers place in the x-y
/// plane (a 2DCoRectMesh lands in y-z). It is repeated in every frame, not referenced,
/// because XDMF readers differ in the reference syntax they accept.
std::string frame_grid(const DatasetShape& shape, const physics::Params& physics, int sequence,
                       int frame, const std::string& hdf5) {
  const int n = shape.size;
  return fmt::format(
      R"(      <Grid Name="frame {frame}" GridType="Uniform">
        <Time Value="{time}"/>
        <Topology TopologyType="3DCoRectMesh" Dimensions="1 {n} {n}"/>
        <Geometry GeometryType="ORIGIN_DXDYDZ">
          <DataItem Format="XML" Dimensions="3" NumberType="Float" Precision="8">0 0 0</DataItem>
          <DataItem Format="XML" Dimensions="3" NumberType="Float" Precision="8">{h} {h} {h}</DataItem>
        </Geometry>
        <Attribute Name="{phi}" AttributeType="Scalar" Center="Node">
          <DataItem ItemType="HyperSlab" Dimensions="1 {n} {n}" Type="HyperSlab" NumberType="Float" Precision="4">
            <DataItem Format="XML" Dimensions="3 4" NumberType="Int">{s} {frame} 0 0 1 1 1 1 1 1 {n} {n}</DataItem>
            <DataItem Format="HDF" Dimensions="{sequences} {frames} {n} {n}" NumberType="Float" Precision="4">{hdf5}:/{phi}</DataItem>
          </DataItem>
        </Attribute>
      </Grid>
)",
      fmt::arg("frame", frame), fmt::arg("time", frame * physics.frame_time()), fmt::arg("n", n),
      fmt::arg("h", physics.grid_spacing), fmt::arg("phi", schema::kPhi),
      fmt::arg("s", sequence), fmt::arg("sequences", shape.sequences),
      fmt::arg("frames", shape.frames), fmt::arg("hdf5", hdf5));
}

}  // namespace

std::string xdmf_document(const DatasetShape& shape, const physics::Params& physics,
                          int sequence, const std::string& hdf5_reference) {
  schema::require_index(sequence, static_cast<std::uint64_t>(shape.sequences), "sequence",
                        hdf5_reference);
  require(!hdf5_reference.empty(), "an XDMF document needs the path of its HDF5 file");
  // XDMF separates the file from the dataset path by the first ':'.
  require(hdf5_reference.find(':') == std::string::npos,
          "'" + hdf5_reference + "': XDMF cannot name an HDF5 file whose path contains ':'");
  const std::string hdf5 = xml_escaped(hdf5_reference);
  std::string document = fmt::format(
      R"(<?xml version="1.0" ?>
<!DOCTYPE Xdmf SYSTEM "Xdmf.dtd" []>
<Xdmf Version="2.0">
  <Domain>
    <Grid Name="sequence {s} of {file}" GridType="Collection" CollectionType="Temporal">
)",
      fmt::arg("s", sequence), fmt::arg("file", hdf5));
  for (int frame = 0; frame < shape.frames; ++frame)
    document += frame_grid(shape, physics, sequence, frame, hdf5);
  document += "    </Grid>\n  </Domain>\n</Xdmf>\n";
  return document;
}

}  // namespace csd::io
