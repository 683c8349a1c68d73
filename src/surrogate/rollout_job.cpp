// Deliberately free of Torch headers: it only uses the public Surrogate API.
#include "csd/surrogate/rollout_job.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>

#include "csd/core/error.h"
#include "csd/core/finite.h"
#include "csd/core/memory.h"
#include "csd/core/progress.h"
#include "csd/evaluation/animation.h"
#include "csd/init/initial_conditions.h"
#include "csd/io/dataset.h"
#include "csd/io/fs.h"
#include "csd/io/image.h"
#include "csd/io/staged_directory.h"
#include "csd/physics/energy.h"
#include "csd/physics/params.h"

namespace csd::surrogate {
namespace {

struct Initial {
  std::vector<float> phi;
  int n = 0;
};

/// The physics the model was trained with (energies of the predicted frames use it).
physics::Params model_physics(const std::string& checkpoint) {
  if (const auto physics = checkpoint_physics(checkpoint)) return *physics;
  spdlog::warn("checkpoint '{}' names no physics; energies use the default parameters",
               checkpoint);
  return {};
}

double mean_of(const float* values, size_t count) {
  double sum = 0;
  for (size_t i = 0; i < count; ++i) sum += values[i];
  return sum / static_cast<double>(count);
}

Initial initial_field(const RolloutJob& job) {
  Initial init;
  if (job.init == "file") {
    init.phi = io::read_field(job.from, job.from_dataset, job.index, 0, &init.n);
    // The same check as generate --init-from: a mean outside (0, 1) is not a composition.
    init::require_initial_mean(mean_of(init.phi.data(), init.phi.size()), "'" + job.from + "'");
    return init;
  }
  init::SyntheticField spec;
  spec.kind = job.init;
  spec.mean_phi = job.mean_phi;
  spec.amplitude = job.amplitude;
  spec.feature_size = job.feature_size;
  spec.radial_centre = job.radial_centre;
  spec.radial_edge = job.radial_edge;
  spec.seed = job.seed;
  const Field field = init::synthetic_field(job.size, spec);
  init.n = job.size;
  init.phi.resize(static_cast<size_t>(job.size) * job.size);
  Eigen::Map<FieldF>(init.phi.data(), job.size, job.size) = field.cast<float>();
  return init;
}

std::string gif_path(const RolloutJob& job) { return job.out + ".gif"; }

/// Runs the model and writes its frames (and PNGs) through `writer`.
RolloutSummary write_rollout(const RolloutJob& job, const Initial& init, const io::DatasetInfo& info,
                             io::DatasetWriter& writer) {
  const int n = init.n;
  const size_t frame_size = static_cast<size_t>(n) * n;
  // Pictures replace "<out>.png" only together with the finished rollout.
  std::optional<io::StagedDirectory> pictures;
  if (job.png_every > 0) pictures.emplace(job.out + ".png", job.overwrite);

  const Surrogate model = Surrogate::load(job.model, job.device);
  spdlog::info("rollout: {}² from {} for {} frames at eta = {} on {}", n, job.init, job.frames,
               job.eta, model.device_name());
  Progress progress("rollout frames", job.frames - 1);
  const auto start = std::chrono::steady_clock::now();
  const std::vector<float> frames =
      model.rollout(init.phi, n, job.eta, job.frames, [&](int) { progress.add(1); });
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The dataset writer refuses non-finite fields too, but only the rollout knows why.
  if (const auto bad = first_non_finite(frames.data(), frames.size(), n))
    throw Error(fmt::format("the surrogate diverged: frame {} holds {} (column, row) at eta = {}; "
                            "roll out fewer --frames, or use a model that is stable for this "
                            "field and eta",
                            bad->field, bad->where(), job.eta));

  const physics::EnergyCalculator energy(n, info.physics);
  std::vector<physics::Energies> energies(job.frames);
  RolloutSummary summary;
  const double mass0 = mean_of(frames.data(), frame_size);
  for (int t = 0; t < job.frames; ++t) {
    const float* frame = frames.data() + frame_size * t;
    energies[t] = energy(frame, job.eta);
    summary.mass_drift = std::max(summary.mass_drift, std::abs(mean_of(frame, frame_size) - mass0));
    if (job.png_every > 0 && t % job.png_every == 0) {
      char name[64];
      std::snprintf(name, sizeof name, "/seq00000_t%05d.png", t);
      io::write_field_png(pictures->path() + name, frame, n);
    }
  }
  double amplitude = 0;
  for (size_t i = 0; i < frame_size; ++i)
    amplitude = std::max(amplitude, std::abs(frames[i] - mass0));
  // The animation is encoded beside its final name and appears with the dataset.
  std::optional<evaluation::FieldAnimation> animation;
  if (job.gif > 0) {
    const evaluation::GifFrames plan = evaluation::gif_frames(job.frames, job.gif);
    evaluation::warn_if_capped(plan, job.gif, gif_path(job));
    animation.emplace(gif_path(job), n, std::vector<std::string>{""});
    for (int t : plan.frames) animation->add(t, {frames.data() + frame_size * t});
  }
  writer.write_sequence(0, {job.eta, mass0, amplitude, job.seed}, frames, energies);
  writer.finish();
  if (pictures) pictures->commit();
  if (animation) {
    animation->finish();
    spdlog::info("rollout: animation → {}", gif_path(job));
  }

  summary.frames = job.frames;
  summary.size = n;
  summary.seconds = seconds;
  summary.ms_per_frame = job.frames > 1 ? 1e3 * seconds / (job.frames - 1) : 0;
  return summary;
}

}  // namespace

void RolloutJob::validate() const {
  require(!model.empty(), "no model: give --model CHECKPOINT.pt");
  require(!out.empty(), "no output file: give --out FILE.h5");
  require(std::isfinite(eta) && eta >= 0 && eta <= physics::kMaxEta,
          "eta = " + fmt::format("{:g}", eta) +
              " is outside [0, 0.05] (a fraction: 0.006 = 0.6 %)");
  require(frames >= 1, "frames must be >= 1 (got " + std::to_string(frames) + ")");
  require(init == "perlin" || init == "radial" || init == "file",
          "initial field: choose one of --from, --perlin, --radial");
  if (init == "file") require(!from.empty(), "--from needs an HDF5 file");
  if (init != "file") require(size >= 4 && size % 2 == 0, "size must be even and >= 4");
  require(mean_phi > 0 && mean_phi < 1, "mean_phi must be in (0, 1)");
  require(std::isfinite(amplitude) && amplitude >= 0 && amplitude <= 1,
          "amplitude must be in [0, 1]");
  require(png_every >= 0, "png_every must be >= 0");
  require(gif >= 0, "gif must be >= 0 (every K-th frame; 0 = no animation)");
}

const OptionTable<RolloutJob>& rollout_options() {
  using J = RolloutJob;
  using F = OptionField<J>;
  // The record names only the keys of the chosen initial field.
  const auto from_file = [](const J& j) { return j.init == "file"; };
  const auto synthetic = [](const J& j) { return j.init != "file"; };
  const auto radial = [](const J& j) { return j.init == "radial"; };
  static const OptionTable<J> table = {
      {"model", "surrogate checkpoint (.pt)", [](J& j) -> OptionRef { return &j.model; }},
      {"out", "output HDF5 file", [](J& j) -> OptionRef { return &j.out; }, {}, "-o"},
      {"eta", "misfit eta as a fraction (0.006 = 0.6 %)", [](J& j) -> OptionRef { return &j.eta; }},
      {"frames", "frames T including phi_0 (e.g. 1001 = 10x the paper's training length)",
       [](J& j) -> OptionRef { return &j.frames; }},
      {"init", "initial field: perlin | radial | file [perlin]",
       [](J& j) -> OptionRef { return &j.init; }, {"perlin", "radial", "file"}},
      F{"from", "initial field from this HDF5 file (init = file)",
        [](J& j) -> OptionRef { return &j.from; }}
          .when(from_file),
      F{"from_dataset", "dataset name in --from [phi]", [](J& j) -> OptionRef { return &j.from_dataset; }}
          .when(from_file),
      F{"index", "sequence index in --from [0]", [](J& j) -> OptionRef { return &j.index; }}.when(from_file),
      F{"size", "grid size N for --perlin/--radial [128]", [](J& j) -> OptionRef { return &j.size; }}
          .when(synthetic),
      F{"mean_phi", "<phi> of the Perlin field [0.5]", [](J& j) -> OptionRef { return &j.mean_phi; }}
          .when([](const J& j) { return j.init == "perlin"; }),
      F{"amplitude", "peak fluctuation amplitude [0.1]", [](J& j) -> OptionRef { return &j.amplitude; }}
          .when(synthetic),
      F{"feature_size", "Perlin cell size in pixels [16]",
        [](J& j) -> OptionRef { return &j.feature_size; }}
          .when(synthetic),
      F{"radial_centre", "<phi> at the centre for --radial [0.6]",
        [](J& j) -> OptionRef { return &j.radial_centre; }}
          .when(radial),
      F{"radial_edge", "<phi> at the edges for --radial [0.3]",
        [](J& j) -> OptionRef { return &j.radial_edge; }}
          .when(radial),
      F{"seed", "seed of the initial field [0]", [](J& j) -> OptionRef { return &j.seed; }}.when(synthetic),
      {"png_every", "write OUT.png/seq00000_tT.png every K frames [0 = none]",
       [](J& j) -> OptionRef { return &j.png_every; }},
      {"gif",
       "animated GIF OUT.gif of every K-th frame with its time (at most 200 frames, at most "
       "256 px wide: larger fields are averaged down) [0 = none]",
       [](J& j) -> OptionRef { return &j.gif; }},
      {"overwrite", "replace existing output files", [](J& j) -> OptionRef { return &j.overwrite; }},
      {"device", "auto | cpu | cuda [auto]", [](J& j) -> OptionRef { return &j.device.device; },
       {"auto", "cpu", "cuda"}},
      {"threads", "CPU threads [0 = all cores]", [](J& j) -> OptionRef { return &j.device.threads; }},
  };
  return table;
}

Json RolloutJob::to_json() const { return Json{{"rollout", options_to_json(rollout_options(), *this)}}; }

RolloutJob RolloutJob::from_json(const Json& config) {
  RolloutJob job;
  read_options(section_or_empty(config, "rollout"), "rollout", rollout_options(), job);
  return job;
}

RolloutSummary run_rollout(const RolloutJob& job) {
  job.validate();
  const std::string advice = "lower --size or --frames";
  if (job.init != "file")
    require_memory(rollout_bytes(job.model, job.size, job.frames) + 8.0 * job.size * job.size,
                   fmt::format("rollout ({}² for {} frames)", job.size, job.frames), advice);
  const Initial init = initial_field(job);
  if (job.init == "file")
    require_memory(rollout_bytes(job.model, init.n, job.frames),
                   fmt::format("rollout ({}² for {} frames)", init.n, job.frames), advice);

  if (job.gif > 0) {
    io::require_replaceable(gif_path(job));
    require(job.overwrite || !io::file_exists(gif_path(job)),
            "'" + gif_path(job) + "' already exists; pass --overwrite to replace it");
  }
  // Open the output first: a bad path or an existing file fails before any work.
  io::DatasetInfo info;
  info.shape = {1, job.frames, init.n};
  info.physics = model_physics(job.model);
  info.config_json = job.to_json().dump();
  info.csd_version = CSD_VERSION;
  info.source = "surrogate";
  io::DatasetWriter writer(job.out, info,
                           job.overwrite ? io::DatasetWriter::Mode::kOverwrite
                                         : io::DatasetWriter::Mode::kCreate,
                           io::DatasetWriter::kDefaultReorderLimitBytes, /*resumable=*/false);
  try {
    return write_rollout(job, init, info, writer);
  } catch (...) {
    writer.discard();  // a rollout cannot resume: leave no "<out>.part" behind
    throw;
  }
}

}  // namespace csd::surrogate
