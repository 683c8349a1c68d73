// csd export --xdmf (contract in include/csd/pipeline/export_xdmf.h).
#include "csd/pipeline/export_xdmf.h"

#include <filesystem>
#include <vector>

#include "csd/core/error.h"
#include "csd/io/dataset.h"
#include "csd/io/fs.h"
#include "csd/io/xdmf.h"

namespace csd::pipeline {
namespace {

namespace fs = std::filesystem;

/// The dataset as the document at `out` names it: relative to the document's folder
/// (resolved paths, so links on the way cannot make ".." point elsewhere).
std::string reference_from(const std::string& out, const std::string& dataset) {
  const fs::path folder = fs::weakly_canonical(fs::absolute(out)).parent_path();
  const fs::path target = fs::weakly_canonical(fs::absolute(dataset));
  const fs::path relative = target.lexically_relative(folder);
  return relative.empty() ? target.string() : relative.string();
}

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ignored;
  return fs::weakly_canonical(a, ignored) == fs::weakly_canonical(b, ignored);
}

void require_complete(const io::DatasetReader& reader, const ExportOptions& o) {
  const std::vector<bool> complete = reader.completed();
  if (complete[static_cast<size_t>(o.sequence)]) return;
  const io::Shard& shard = reader.info().shard;
  throw Error("sequence " + std::to_string(o.sequence) + " of '" + o.xdmf + "' is " +
              (shard.owns(o.sequence)
                   ? "not completely written; finish the file with `csd generate --resume`"
                   : "in another shard (this file is shard " + shard.text() +
                         "); export it from the merged dataset (csd merge)"));
}

}  // namespace

void ExportOptions::validate() const {
  require(!xdmf.empty(), "no dataset given: csd export --xdmf FILE.h5");
  require(sequence >= 0, "sequence must be >= 0");
}

const OptionTable<ExportOptions>& export_options() {
  using O = ExportOptions;
  static const OptionTable<O> table = {
      {"xdmf", "dataset (HDF5, csd schema) to describe in XDMF for ParaView / VisIt",
       [](O& o) -> OptionRef { return &o.xdmf; }},
      {"sequence", "sequence of the dataset [0]", [](O& o) -> OptionRef { return &o.sequence; }},
      {"out", "the .xdmf to write [FILE.seq<I>.xdmf beside FILE.h5]",
       [](O& o) -> OptionRef { return &o.out; }, {}, "-o"},
      {"overwrite", "replace an existing output", [](O& o) -> OptionRef { return &o.overwrite; }},
  };
  return table;
}

Json ExportOptions::to_json() const { return {{"export", options_to_json(export_options(), *this)}}; }

ExportOptions ExportOptions::from_json(const Json& config) {
  ExportOptions o;
  read_options(section_or_empty(config, "export"), "export", export_options(), o);
  return o;
}

std::string default_xdmf_path(const std::string& dataset, int sequence) {
  fs::path path(dataset);
  if (path.extension() == ".h5") path.replace_extension();
  return path.string() + ".seq" + std::to_string(sequence) + ".xdmf";
}

ExportSummary export_xdmf(const ExportOptions& o) {
  o.validate();
  io::require_file(o.xdmf, "csd export --xdmf expects a dataset file (.h5)");
  const io::DatasetReader reader(o.xdmf);
  require(reader.is_csd_dataset(),
          "'" + o.xdmf + "' is not a csd dataset (no format attribute): its grid spacing and "
          "times are unknown");
  const io::DatasetInfo& info = reader.info();
  const io::DatasetShape& shape = info.shape;
  require(o.sequence < shape.sequences, "sequence " + std::to_string(o.sequence) +
                                            " is outside '" + o.xdmf + "', which holds " +
                                            std::to_string(shape.sequences) + " (0 … " +
                                            std::to_string(shape.sequences - 1) + ")");
  require_complete(reader, o);

  ExportSummary summary;
  summary.out = o.out.empty() ? default_xdmf_path(o.xdmf, o.sequence) : o.out;
  require(!same_file(summary.out, o.xdmf),
          "the output '" + summary.out + "' is the dataset itself; choose another --out");
  io::require_replaceable(summary.out);
  require(o.overwrite || !io::file_exists(summary.out),
          "output '" + summary.out + "' already exists; use --overwrite to replace it or "
          "choose another path");
  io::atomic_write_text(summary.out, io::xdmf_document(shape, info.physics, o.sequence,
                                                       reference_from(summary.out, o.xdmf)));
  summary.frames = shape.frames;
  summary.size = shape.size;
  summary.spacing = info.physics.grid_spacing;
  summary.last_time = (shape.frames - 1) * info.physics.frame_time();
  return summary;
}

}  // namespace csd::pipeline
