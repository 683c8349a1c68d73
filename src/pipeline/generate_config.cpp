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


}  // namespace

io::Shard parse_shard(const std::string& text) {
  io::Shard shard;
  if (text.empty()) return shard;
  const std::string usage = "shard '" + text + "' is not I/N with 0 <= I < N (e.g. --shard 0/4)";
  const auto slash = text.find('/');
  require(slash != std::string::npos && slash > 0 && slash + 1 < text.size(), usage);
  const std::string index = text.substr(0, slash), count = text.substr(slash + 1);
  const auto digits = [](const std::string& t) {
    return t.size() <= 9 && t.find_first_not_of("0123456789") == std::string::npos;
  };
  require(digits(index) && digits(count), usage);
  shard.index = std::stoi(index);
  shard.count = std::stoi(count);
  require(shard.count >= 1 && shard.index < shard.count, usage);
  return shard;
}

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
  require(solver == "fftw" || solver == "torch",
          "solver must be fftw or torch (got '" + solver + "')");
  require(device == "cpu" || device == "cuda", "device must be cpu or cuda (got '" + device + "')");
  require(solver == "torch" || device == "cpu",
          "the FFTW solver runs on the CPU only: --device " + device + " needs --solver torch");
  require(batch >= 1, "batch must be >= 1 sequence (got " + std::to_string(batch) + ")");
  parse_shard(shard);
  require(max_new_sequences >= 0, "max_new_sequences must be >= 0 (0 = no limit)");
  require(!(resume && overwrite), "--resume and --overwrite exclude each other");
  physics.validate();
}

const OptionTable<GenerateConfig>& generate_options() {
  using C = GenerateConfig;
  using F = OptionField<C>;
  const auto fixed_eta = [](const C& c) { return c.eta.has_value(); };
  const auto fixed_mean = [](const C& c) { return c.mean_phi.has_value(); };
  const auto fixed_amplitude = [](const C& c) { return c.amplitude.has_value(); };
  const auto from_file = [](const C& c) { return c.init == "file"; };
  const auto radial = [](const C& c) { return c.init == "radial"; };
  const auto torch = [](const C& c) { return c.solver == "torch"; };
  static const OptionTable<C> table = {
      F{"out", "output HDF5 file", [](C& c) -> OptionRef { return &c.out; }, {}, "-o"},
      F{"sequences", "number of sequences S [4]", [](C& c) -> OptionRef { return &c.sequences; }},
      F{"frames", "frames T per sequence, including t = 0 [100]",
        [](C& c) -> OptionRef { return &c.frames; }},
      F{"size", "grid size N (N×N, even) [128]", [](C& c) -> OptionRef { return &c.size; }},
      F{"eta", "fixed misfit η as a fraction (0.006 = 0.6 %)", [](C& c) -> OptionRef { return &c.eta; }},
      F{"eta_range", "η drawn uniformly in [A, B] [0 0.012]",
        [](C& c) -> OptionRef { return &c.eta_range; }}
          .when([=](const C& c) { return !fixed_eta(c); })
          .then([](C& c) { c.eta.reset(); }),
      F{"mean_phi", "fixed mean composition ⟨φ⟩", [](C& c) -> OptionRef { return &c.mean_phi; }},
      F{"mean_phi_range", "⟨φ⟩ drawn uniformly in [A, B] [0.2 0.8]",
        [](C& c) -> OptionRef { return &c.mean_phi_range; }}
          .when([=](const C& c) { return !fixed_mean(c); })
          .then([](C& c) { c.mean_phi.reset(); }),
      F{"amplitude", "fixed peak fluctuation amplitude A (default: |N(0, amplitude_std²)|)",
        [](C& c) -> OptionRef { return &c.amplitude; }},
      F{"amplitude_std", "σ of the drawn amplitude |N(0, σ²)| [0.1]",
        [](C& c) -> OptionRef { return &c.amplitude_std; }}
          .when([=](const C& c) { return !fixed_amplitude(c); }),
      F{"feature_size", "Perlin lattice cell size in pixels [16]",
        [](C& c) -> OptionRef { return &c.feature_size; }},
      F{"seed", "master seed [0]", [](C& c) -> OptionRef { return &c.seed; }},
      F{"noise", "solver noise σ per step and pixel, mass-conserving [0]",
        [](C& c) -> OptionRef { return &c.noise; }},
      F{"threads", "worker threads, one sequence each [0 = all cores]",
        [](C& c) -> OptionRef { return &c.threads; }},
      F{"init", "initial field: perlin | radial | file [perlin]",
        [](C& c) -> OptionRef { return &c.init; }, {"perlin", "radial", "file"}},
      F{"init_from", "start every sequence from a field in this HDF5 file",
        [](C& c) -> OptionRef { return &c.init_from; }}
          .when(from_file)
          .then([](C& c) { c.init = "file"; }),
      F{"init_dataset", "dataset name in --init-from [phi]",
        [](C& c) -> OptionRef { return &c.init_dataset; }}
          .when(from_file),
      F{"init_index", "sequence index in --init-from [0]",
        [](C& c) -> OptionRef { return &c.init_index; }}
          .when(from_file),
      F{"radial_centre", "⟨φ⟩ at the centre for --init radial [0.6]",
        [](C& c) -> OptionRef { return &c.radial_centre; }}
          .when(radial),
      F{"radial_edge", "⟨φ⟩ at the edges for --init radial [0.3]",
        [](C& c) -> OptionRef { return &c.radial_edge; }}
          .when(radial),
      F{"fft_plans",
        "FFTW plans: wisdom (timed once per machine, cached in ~/.cache/csd) | estimate [wisdom]",
        [](C& c) -> OptionRef { return &c.fft_plans; }, {"wisdom", "estimate"}},
      // The solver decides the data only up to rounding, so FFTW datasets keep their
      // record; a torch dataset names its solver and device. The batch size is run
      // control (batches equal single runs) and stays out of the record.
      // Flags apply in table order: --device cuda implies the torch solver, and a --solver
      // given too is applied after it, so "--solver fftw --device cuda" is refused by
      // validate() instead of silently switching.
      F{"device", "where --solver torch runs: cpu | cuda (cuda implies --solver torch) [cpu]",
        [](C& c) -> OptionRef { return &c.device; }, {"cpu", "cuda"}}
          .when(torch)
          .then([](C& c) {
            if (c.device != "cpu") c.solver = "torch";
          }),
      F{"solver", "fftw (one sequence per thread) | torch (LibTorch, batched) [fftw]",
        [](C& c) -> OptionRef { return &c.solver; }, {"fftw", "torch"}}
          .when(torch),
      F{"batch", "sequences the torch solver advances together [64]",
        [](C& c) -> OptionRef { return &c.batch; }}
          .when(torch),
      F{"png_every",
        "write OUT.png/seqS_tT.png every K frames for the first png_sequences sequences [0 = none]",
        [](C& c) -> OptionRef { return &c.png_every; }},
      F{"png_sequences", "sequences drawn with --png-every [4]",
        [](C& c) -> OptionRef { return &c.png_sequences; }},
      F{"shard",
        "write only sequences s ≡ I (mod N) as shard I/N of the dataset; join shards with csd "
        "merge [all]",
        [](C& c) -> OptionRef { return &c.shard; }}
          .when([](const C& c) { return !c.shard.empty(); }),
      F{"max_new_sequences", "stop after K new sequences, keeping OUT.part for --resume [0 = all]",
        [](C& c) -> OptionRef { return &c.max_new_sequences; }}
          .when([](const C& c) { return c.max_new_sequences > 0; }),
      // Modes of one run, not part of the dataset's record (a resume compares records).
      F{"resume", "continue OUT.part of a killed run", [](C& c) -> OptionRef { return &c.resume; }}
          .when([](const C&) { return false; }),
      F{"overwrite", "replace OUT (the old file stays until the new one is complete)",
        [](C& c) -> OptionRef { return &c.overwrite; }}
          .when([](const C&) { return false; }),
  };
  return table;
}

Json GenerateConfig::to_json() const {
  return Json{{"generate", options_to_json(generate_options(), *this)},
              {"physics", physics.to_json()}};
}

GenerateConfig GenerateConfig::from_json(const Json& config) {
  reject_unknown_keys(config, {"generate", "physics", "train", "model", "rollout", "evaluate",
                               "phasediagram", "description"},
                      "config");
  GenerateConfig c;
  read_options(section_or_empty(config, "generate"), "generate", generate_options(), c);
  c.physics = physics::Params::from_json(section_or_empty(config, "physics"));
  return c;
}

}  // namespace csd::pipeline
