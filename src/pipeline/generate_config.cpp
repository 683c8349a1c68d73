#include <cmath>

#include <fmt/format.h>
#include <string>

#include "csd/core/error.h"
#include "csd/physics/params.h"
#include "csd/pipeline/generate.h"

namespace csd::pipeline {
namespace {

bool is_range(const std::array<double, 2>& r) { return r[0] <= r[1]; }

void require_in(double value, double lo, double hi, const std::string& name,
                const std::string& hint) {
  require(std::isfinite(value) && value >= lo && value <= hi,
          name + " = " + fmt::format("{:g}", value) + " is outside " + hint);
}

void require_open(double value, const std::string& name) {
  require(std::isfinite(value) && value > 0.0 && value < 1.0,
          name + " = " + fmt::format("{:g}", value) + " is outside (0, 1): ⟨φ⟩ is a composition");
}

void read_optional(const Json& g, const char* key, std::optional<double>& value,
                   const std::string& section) {
  if (!g.contains(key)) return;
  double v = 0;
  read_key(g, key, v, section);
  value = v;
}

}  // namespace

void GenerateConfig::validate() const {
  require(!out.empty(), "no output file: give --out FILE.h5");
  require(sequences >= 1, "sequences must be >= 1 (got " + std::to_string(sequences) + ")");
  require(frames >= 1, "frames must be >= 1 (got " + std::to_string(frames) + ")");
  require(size >= 4, "size must be >= 4 grid points (got " + std::to_string(size) + ")");
  require(size % 2 == 0, "size must be even (got " + std::to_string(size) + ")");
  const std::string eta_hint = "[0, 0.05] (η is a fraction: 0.006 means 0.6 %)";
  if (eta) {
    require_in(*eta, 0.0, physics::kMaxEta, "eta", eta_hint);
  } else {
    require(is_range(eta_range), "eta_range must be [low, high] with low <= high");
    require_in(eta_range[0], 0.0, physics::kMaxEta, "eta_range[0]", eta_hint);
    require_in(eta_range[1], 0.0, physics::kMaxEta, "eta_range[1]", eta_hint);
  }
  if (mean_phi) {
    require_open(*mean_phi, "mean_phi");
  } else {
    require(is_range(mean_phi_range), "mean_phi_range must be [low, high] with low <= high");
    require_open(mean_phi_range[0], "mean_phi_range[0]");
    require_open(mean_phi_range[1], "mean_phi_range[1]");
  }
  if (amplitude) require_in(*amplitude, 0.0, 1.0, "amplitude", "[0, 1]");
  require_in(amplitude_std, 0.0, 1.0, "amplitude_std", "[0, 1]");
  require(std::isfinite(feature_size) && feature_size > 0, "feature_size must be > 0 pixels");
  require_in(noise, 0.0, 1.0, "noise", "[0, 1] (per-step σ; the paper uses 7.5e-4)");
  require(threads >= 0, "threads must be >= 0 (0 = all cores)");
  require(init == "perlin" || init == "radial" || init == "file",
          "init must be perlin, radial or file (got '" + init + "')");
  if (init == "file") require(!init_from.empty(), "init = file needs --init-from FILE.h5");
  require(init_index >= 0, "init_index must be >= 0");
  require_open(radial_centre, "radial_centre");
  require_open(radial_edge, "radial_edge");
  require(png_every >= 0, "png_every must be >= 0 (0 = no pictures)");
  require(png_sequences >= 0, "png_sequences must be >= 0");
  require(fft_plans == "wisdom" || fft_plans == "estimate",
          "fft_plans must be wisdom or estimate (got '" + fft_plans + "')");
  require(max_new_sequences >= 0, "max_new_sequences must be >= 0 (0 = no limit)");
  require(!(resume && overwrite), "--resume and --overwrite exclude each other");
  physics.validate();
}

Json GenerateConfig::to_json() const {
  Json g;
  g["out"] = out;
  g["sequences"] = sequences;
  g["frames"] = frames;
  g["size"] = size;
  if (eta) g["eta"] = *eta; else g["eta_range"] = eta_range;
  if (mean_phi) g["mean_phi"] = *mean_phi; else g["mean_phi_range"] = mean_phi_range;
  if (amplitude) g["amplitude"] = *amplitude; else g["amplitude_std"] = amplitude_std;
  g["feature_size"] = feature_size;
  g["seed"] = seed;
  g["noise"] = noise;
  g["threads"] = threads;
  g["init"] = init;
  if (init == "file") {
    g["init_from"] = init_from;
    g["init_dataset"] = init_dataset;
    g["init_index"] = init_index;
  }
  if (init == "radial") {
    g["radial_centre"] = radial_centre;
    g["radial_edge"] = radial_edge;
  }
  g["fft_plans"] = fft_plans;
  g["png_every"] = png_every;
  g["png_sequences"] = png_sequences;
  if (max_new_sequences > 0) g["max_new_sequences"] = max_new_sequences;
  return Json{{"generate", g}, {"physics", physics.to_json()}};
}

GenerateConfig GenerateConfig::from_json(const Json& config) {
  reject_unknown_keys(config, {"generate", "physics", "train", "model", "rollout", "evaluate",
                               "phasediagram", "description"},
                      "config");
  GenerateConfig c;
  const Json g = section_or_empty(config, "generate");
  const std::string s = "generate";
  reject_unknown_keys(g, {"out", "sequences", "frames", "size", "eta", "eta_range", "mean_phi",
                          "mean_phi_range", "amplitude", "amplitude_std", "feature_size", "seed",
                          "noise", "threads", "init", "init_from", "init_dataset", "init_index",
                          "radial_centre", "radial_edge", "png_every", "png_sequences", "max_new_sequences", "fft_plans"},
                      s);
  read_key(g, "out", c.out, s);
  read_key(g, "sequences", c.sequences, s);
  read_key(g, "frames", c.frames, s);
  read_key(g, "size", c.size, s);
  read_optional(g, "eta", c.eta, s);
  read_key(g, "eta_range", c.eta_range, s);
  read_optional(g, "mean_phi", c.mean_phi, s);
  read_key(g, "mean_phi_range", c.mean_phi_range, s);
  read_optional(g, "amplitude", c.amplitude, s);
  read_key(g, "amplitude_std", c.amplitude_std, s);
  read_key(g, "feature_size", c.feature_size, s);
  read_key(g, "seed", c.seed, s);
  read_key(g, "noise", c.noise, s);
  read_key(g, "threads", c.threads, s);
  read_key(g, "init", c.init, s);
  read_key(g, "init_from", c.init_from, s);
  read_key(g, "init_dataset", c.init_dataset, s);
  read_key(g, "init_index", c.init_index, s);
  read_key(g, "radial_centre", c.radial_centre, s);
  read_key(g, "radial_edge", c.radial_edge, s);
  read_key(g, "png_every", c.png_every, s);
  read_key(g, "png_sequences", c.png_sequences, s);
  read_key(g, "max_new_sequences", c.max_new_sequences, s);
  read_key(g, "fft_plans", c.fft_plans, s);
  c.physics = physics::Params::from_json(section_or_empty(config, "physics"));
  return c;
}

}  // namespace csd::pipeline
