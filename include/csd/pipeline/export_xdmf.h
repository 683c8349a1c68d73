#pragma once
/// csd export --xdmf: writes the XDMF description of one sequence of a dataset
/// (csd/io/xdmf.h) so that ParaView and VisIt open its frames as a time series, reading
/// them from the HDF5 file itself.
///
/// Refused before anything is written (csd::Error, one line): a missing file, a file that
/// is not HDF5 or not a csd dataset (its grid spacing and times would be unknown), a
/// sequence outside the file, a sequence not completely written (a partial file or
/// another shard's sequence), and an existing output without `overwrite` (links and
/// special files are never replaced). The document is written atomically (temp file +
/// rename) and names the HDF5 file relative to its own folder, so the two move together.
///
///   csd::pipeline::ExportOptions o;
///   o.xdmf = "demo.h5"; o.sequence = 2;      // → demo.seq2.xdmf
///   csd::pipeline::export_xdmf(o);
#include <string>

#include "csd/core/json_config.h"
#include "csd/core/options.h"

namespace csd::pipeline {

struct ExportOptions {
  std::string xdmf;        ///< the dataset (HDF5) to describe
  int sequence = 0;        ///< which sequence
  std::string out;         ///< the .xdmf to write (empty: default_xdmf_path)
  bool overwrite = false;  ///< replace an existing output

  /// Throws csd::Error naming the bad option.
  void validate() const;
  /// {"export": {...}} with keys equal to the member names.
  Json to_json() const;
  /// Reads section "export" (optional; unknown keys are errors).
  static ExportOptions from_json(const Json& config);
};

/// The option table behind ExportOptions' JSON and the CLI flags.
const OptionTable<ExportOptions>& export_options();

/// "<dataset without .h5>.seq<I>.xdmf", beside the dataset.
std::string default_xdmf_path(const std::string& dataset, int sequence);

struct ExportSummary {
  std::string out;         ///< the document written
  int frames = 0;          ///< its time steps
  int size = 0;            ///< N
  double spacing = 0;      ///< h
  double last_time = 0;    ///< t of the last frame
};

ExportSummary export_xdmf(const ExportOptions& options);

}  // namespace csd::pipeline
