#pragma once
/// `csd rollout` as a library call: build or read an initial field, roll the surrogate
/// out for T frames at misfit η, and write the result in the dataset schema
/// (csd/io/dataset.h, source = "surrogate", S = 1) so every analysis tool reads it.
/// LibTorch-free header.
#include <cstdint>
#include <string>

#include "csd/core/json_config.h"
#include "csd/core/options.h"
#include "csd/surrogate/surrogate.h"

namespace csd::surrogate {

struct RolloutJob {
  std::string model;             ///< checkpoint (.pt)
  std::string out;               ///< output HDF5
  double eta = 0.006;            ///< misfit (fraction)
  int frames = 100;              ///< T, including φ₀
  std::string init = "perlin";   ///< perlin | radial | file
  std::string from;              ///< HDF5 file (init = file)
  std::string from_dataset = "phi";
  int index = 0;                 ///< sequence index in `from`
  int size = 128;                ///< N for perlin / radial
  double mean_phi = 0.5;
  double amplitude = 0.1;
  double feature_size = 16.0;
  double radial_centre = 0.6, radial_edge = 0.3;
  std::uint64_t seed = 0;
  int png_every = 0;             ///< PNG every K frames into <out>.png/ (0 = none)
  int gif = 0;                   ///< animated GIF <out>.gif of every K-th frame (0 = none)
  bool overwrite = false;
  DeviceOptions device;

  void validate() const;
  /// {"rollout": {...}}: the keys of the chosen initial field only.
  Json to_json() const;
  /// Reads section "rollout" (optional; unknown keys are errors).
  static RolloutJob from_json(const Json& config);
};

/// The option table behind RolloutJob's JSON and the CLI flags (keys = long flags with _).
const OptionTable<RolloutJob>& rollout_options();

struct RolloutSummary {
  int frames = 0, size = 0;
  double seconds = 0, ms_per_frame = 0;
  double mass_drift = 0;  ///< max |⟨φ_t⟩ − ⟨φ_0⟩| over frames
};

RolloutSummary run_rollout(const RolloutJob& job);

}  // namespace csd::surrogate
