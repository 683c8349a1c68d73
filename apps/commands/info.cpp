// csd info FILE [--json]: a human summary of a dataset (HDF5) or a surrogate checkpoint (.pt).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>

#include "command.h"
#include "csd/core/error.h"
#include "csd/io/dataset.h"
#include "csd/io/fs.h"
#ifdef CSD_WITH_TORCH
#include "csd/surrogate/surrogate.h"
#endif

namespace csd::app {
namespace {

bool has_hdf5_signature(const std::string& path) {
  // A directory opens as a stream but fails on reading (basic_filebuf::underflow).
  io::require_file(path, "csd info expects a file: a dataset (.h5) or a checkpoint (.pt)");
  std::ifstream in(path, std::ios::binary);
  require(static_cast<bool>(in), "cannot read '" + path + "': no such file or not readable");
  char magic[8] = {};
  in.read(magic, 8);
  return in.gcount() == 8 && std::string(magic, 8) == "\x89HDF\r\n\x1a\n";
}

Json describe_dataset(const std::string& path) {
  const io::DatasetReader reader(path);
  const io::DatasetInfo& info = reader.info();
  const io::DatasetShape& shape = info.shape;
  Json j;
  j["kind"] = "dataset";
  j["path"] = path;
  j["sequences"] = shape.sequences;
  j["frames"] = shape.frames;
  j["size"] = shape.size;
  j["source"] = info.source;
  j["noise"] = info.noise;
  j["csd_version"] = info.csd_version;
  j["schema_version"] = reader.schema_version();
  j["physics"] = info.physics.to_json();
  // Ranges over complete sequences only: the others hold fill values (NaN) or nothing.
  const std::vector<bool> complete = reader.completed();
  const auto complete_count = std::count(complete.begin(), complete.end(), true);
  j["complete"] = complete_count;
  j["partial"] = complete_count < shape.sequences;
  j["shard"] = info.shard.whole() ? Json(nullptr) : Json(info.shard.text());
  j["eta_range"] = nullptr;
  j["mean_phi_range"] = nullptr;
  if (complete_count > 0) {
    const double inf = std::numeric_limits<double>::infinity();
    double eta_lo = inf, eta_hi = -inf, phi_lo = inf, phi_hi = -inf;
    for (int s = 0; s < shape.sequences; ++s) {
      if (!complete[s]) continue;
      const io::SequenceMeta m = reader.meta(s);
      eta_lo = std::min(eta_lo, m.eta);
      eta_hi = std::max(eta_hi, m.eta);
      phi_lo = std::min(phi_lo, m.mean_phi);
      phi_hi = std::max(phi_hi, m.mean_phi);
    }
    j["eta_range"] = {eta_lo, eta_hi};
    j["mean_phi_range"] = {phi_lo, phi_hi};
  }
  j["tau"] = info.physics.frame_time();
  if (!info.config_json.empty()) {
    try {
      j["config"] = Json::parse(info.config_json);
    } catch (const Json::exception&) {
      j["config"] = info.config_json;
    }
  }
  return j;
}

/// One line on the schema version: what the file offers to readers outside csd.
std::string describe_schema(int version) {
  if (version == 0) return "schema: not a csd dataset (read as a foreign file)";
  const std::string head = "schema version " + std::to_string(version);
  if (version >= 2)
    return head + ": labelled axes (sequence, frame, y, x) and time t for xarray / netCDF";
  return head + ": no labelled axes (xarray needs phony_dims; csd reads it as it is)";
}

void print_dataset(const Json& j) {
  std::printf("%s: csd dataset (%s), written by csd %s\n", j["path"].get<std::string>().c_str(),
              j["source"].get<std::string>().c_str(), j["csd_version"].get<std::string>().c_str());
  const int sequences = j["sequences"].get<int>(), complete = j["complete"].get<int>();
  const std::string completeness =
      !j["shard"].is_null()
          ? std::to_string(complete) + " complete; shard " + j["shard"].get<std::string>() +
                " (s ≡ I mod N) of a dataset: `csd merge` joins the shards"
      : complete == sequences
          ? "all complete"
          : std::to_string(complete) + " of " + std::to_string(sequences) +
                " complete: a partial file, `csd generate --resume` finishes it";
  std::printf("  sequences S = %d (%s), frames T = %d (t = 0 … %g), grid %d×%d\n", sequences,
              completeness.c_str(), j["frames"].get<int>(),
              (j["frames"].get<int>() - 1) * j["tau"].get<double>(), j["size"].get<int>(),
              j["size"].get<int>());
  if (complete == 0) {
    std::printf("  no sequence is complete yet: no eta or <phi> to report\n");
  } else {
    const std::string over =
        complete == sequences ? "" : " (over the " + std::to_string(complete) + " complete)";
    std::printf("  eta in [%.5g, %.5g] (%.3g %% … %.3g %%), <phi> in [%.4f, %.4f]%s\n",
                j["eta_range"][0].get<double>(), j["eta_range"][1].get<double>(),
                100 * j["eta_range"][0].get<double>(), 100 * j["eta_range"][1].get<double>(),
                j["mean_phi_range"][0].get<double>(), j["mean_phi_range"][1].get<double>(),
                over.c_str());
  }
  std::printf("  physics %s, solver noise sigma = %g\n", j["physics"].dump().c_str(),
              j["noise"].get<double>());
  std::printf("  %s\n", describe_schema(j["schema_version"].get<int>()).c_str());
}

}  // namespace

void setup_info(CLI::App& parent) {
  auto path = std::make_shared<std::string>();
  auto as_json = std::make_shared<bool>(false);
  CLI::App* app = parent.add_subcommand(
      "info", "Describe a dataset (.h5) or a surrogate checkpoint (.pt).");
  app->add_option("file", *path, "dataset or checkpoint")->required();
  app->add_flag("--json", *as_json, "print machine-readable JSON instead of text");
  app->callback([path, as_json] {
    Json j;
    if (has_hdf5_signature(*path)) {
      j = describe_dataset(*path);
    } else {
#ifdef CSD_WITH_TORCH
      j = surrogate::describe_checkpoint(*path);
      j["kind"] = "checkpoint";
#else
      throw Error("'" + *path + "' is not an HDF5 dataset (checkpoints need a LibTorch build)");
#endif
    }
    if (*as_json) {
      std::cout << j.dump(2) << "\n";
    } else if (j["kind"] == "dataset") {
      print_dataset(j);
    } else {
      std::cout << *path << ": csd surrogate checkpoint\n" << j.dump(2) << "\n";
    }
  });
}

}  // namespace csd::app
