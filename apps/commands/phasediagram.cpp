// csd phasediagram: reconstruct the (⟨φ⟩, η) phase diagram with the surrogate (paper
// Sec. 3.4, Fig. 8a) and compare it with the solver.
//   csd phasediagram --model best.pt --data test.h5 --out phase/test
//   csd phasediagram --model best.pt --grid --phi-range 0.15 0.85 --eta-range 0 0.012
//                    --phi-points 15 --eta-points 13 --size 64 --solver --out phase/grid
// Needs LibTorch: without CSD_WITH_TORCH this file compiles to nothing.
#ifdef CSD_WITH_TORCH

#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

#include "command.h"
#include "csd/core/error.h"
#include "csd/core/progress.h"
#include "csd/evaluation/phase_diagram.h"
#include "csd/evaluation/plots.h"
#include "csd/io/dataset.h"
#include "csd/surrogate/surrogate.h"

namespace csd::app {
namespace {

/// Keys of the JSON sections "phasediagram" (and "physics" for --grid --solver).
struct PhaseDiagramConfig {
  std::string model, data, out, device = "auto";
  bool grid = false;
  bool solver = false;  ///< --grid: also run the solver on every point
  evaluation::PhaseGridOptions grid_options;
  int size = 128;             ///< N of the grid points' fields
  int frame = 100;            ///< classify the frame at t = frame·τ
  double threshold = analysis::kSinglePhaseThreshold;
  int threads = 0;
  int batch = 8;
  int max_sequences = 0;      ///< --data: use only the first sequences (0 = all)
  bool plots = true;
  physics::Params physics;    ///< solver physics for --grid --solver
  bool physics_given = false; ///< else the model's training physics (same τ as the model)
  bool allow_physics_mismatch = false;  ///< warn, not refuse, when solver and model physics differ

  void validate() const {
    require(!model.empty(), "no surrogate: pass --model CKPT");
    require(!out.empty(), "no output directory: pass --out DIR");
    require(grid != !data.empty(), "give either --data F.h5 (points = its sequences) or --grid");
    require(frame >= 1, "frame must be >= 1 (the classified frame t = frame·tau)");
    require(threshold > 0, "threshold must be > 0 (the paper uses 0.05)");
    require(threads >= 0, "threads must be >= 0 (0 = all cores)");
    require(batch >= 1, "batch must be >= 1");
    require(max_sequences >= 0, "max_sequences must be >= 0 (0 = all)");
    require(size >= 4 && size % 2 == 0, "size must be even and >= 4");
    if (grid) grid_options.validate();
    physics.validate();
  }

  Json to_json() const {
    const auto& g = grid_options;
    Json p{{"model", model}, {"data", data}, {"out", out}, {"device", device},
           {"grid", grid}, {"solver", solver}, {"phi_range", g.phi_range},
           {"eta_range", g.eta_range}, {"phi_points", g.phi_points},
           {"eta_points", g.eta_points}, {"amplitude", g.amplitude},
           {"feature_size", g.feature_size}, {"seed", g.seed}, {"size", size},
           {"frame", frame}, {"threshold", threshold}, {"threads", threads},
           {"batch", batch}, {"max_sequences", max_sequences}, {"plots", plots},
           {"allow_physics_mismatch", allow_physics_mismatch}};
    return {{"phasediagram", p}, {"physics", physics.to_json()}};
  }

  static PhaseDiagramConfig from_json(const Json& config) {
    const Json p = section_or_empty(config, "phasediagram");
    const std::string s = "phasediagram";
    reject_unknown_keys(p,
                        {"model", "data", "out", "device", "grid", "solver", "phi_range",
                         "eta_range", "phi_points", "eta_points", "amplitude", "feature_size",
                         "seed", "size", "frame", "threshold", "threads", "batch",
                         "max_sequences", "plots", "allow_physics_mismatch"},
                        s);
    PhaseDiagramConfig c;
    auto& g = c.grid_options;
    read_key(p, "model", c.model, s);
    read_key(p, "data", c.data, s);
    read_key(p, "out", c.out, s);
    read_key(p, "device", c.device, s);
    read_key(p, "grid", c.grid, s);
    read_key(p, "solver", c.solver, s);
    read_key(p, "phi_range", g.phi_range, s);
    read_key(p, "eta_range", g.eta_range, s);
    read_key(p, "phi_points", g.phi_points, s);
    read_key(p, "eta_points", g.eta_points, s);
    read_key(p, "amplitude", g.amplitude, s);
    read_key(p, "feature_size", g.feature_size, s);
    read_key(p, "seed", g.seed, s);
    read_key(p, "size", c.size, s);
    read_key(p, "frame", c.frame, s);
    read_key(p, "threshold", c.threshold, s);
    read_key(p, "threads", c.threads, s);
    read_key(p, "batch", c.batch, s);
    read_key(p, "max_sequences", c.max_sequences, s);
    read_key(p, "plots", c.plots, s);
    read_key(p, "allow_physics_mismatch", c.allow_physics_mismatch, s);
    c.physics_given = config.contains("physics");
    c.physics = physics::Params::from_json(section_or_empty(config, "physics"));
    return c;
  }
};

/// The surrogate's frame `frame` from each initial field (points·n·n), in batches.
std::vector<float> surrogate_finals(const surrogate::Surrogate& model,
                                    const std::vector<float>& initial,
                                    const std::vector<double>& etas, int n, int frame, int batch) {
  const int count = static_cast<int>(etas.size());
  const std::size_t frame_size = static_cast<std::size_t>(n) * n;
  std::vector<float> finals(count * frame_size);
  Progress progress("phasediagram: surrogate frames", static_cast<long>(count) * frame);
  for (int first = 0; first < count; first += batch) {
    const int b = std::min(batch, count - first);
    const std::vector<float> phi0(initial.begin() + first * frame_size,
                                  initial.begin() + (first + b) * frame_size);
    const std::vector<double> eta(etas.begin() + first, etas.begin() + first + b);
    const std::vector<float> rolled =
        model.rollout_batch(phi0, b, n, eta, frame + 1, [&](int) { progress.add(b); });
    for (int k = 0; k < b; ++k) {
      const auto last = rolled.begin() + ((static_cast<std::size_t>(k) * (frame + 1) + frame) * frame_size);
      std::copy(last, last + frame_size, finals.begin() + (first + k) * frame_size);
    }
  }
  return finals;
}

/// Points, initial fields and solver frames of a dataset's sequences.
struct Inputs {
  std::vector<evaluation::PhasePoint> points;
  std::vector<float> initial, solver;
  int n = 0;
  physics::Params physics;
};

Inputs from_dataset(const PhaseDiagramConfig& c) {
  const io::DatasetReader reader(c.data);
  const io::DatasetShape& shape = reader.shape();
  require(c.frame < shape.frames,
          "'" + c.data + "' has " + std::to_string(shape.frames) + " frames, so frame " +
              std::to_string(c.frame) + " is not in it; pass --frame " +
              std::to_string(shape.frames - 1) + " or less");
  const int count = c.max_sequences > 0 ? std::min(c.max_sequences, shape.sequences)
                                        : shape.sequences;
  const std::vector<bool> complete = reader.completed();
  Inputs in;
  in.n = shape.size;
  in.physics = reader.info().physics;
  int incomplete = 0;
  for (int s = 0; s < count; ++s) {
    if (!complete[s]) {  // a partial file: use what is finished, and say so
      ++incomplete;
      continue;
    }
    const io::SequenceMeta m = reader.meta(s);
    in.points.push_back({m.mean_phi, m.eta, m.amplitude, m.seed, s});
    const std::vector<float> phi0 = reader.read_frame(s, 0), last = reader.read_frame(s, c.frame);
    in.initial.insert(in.initial.end(), phi0.begin(), phi0.end());
    in.solver.insert(in.solver.end(), last.begin(), last.end());
  }
  require(!in.points.empty(), "'" + c.data + "' holds no complete sequence");
  if (incomplete > 0)
    spdlog::warn("phasediagram: {} of {} sequences of '{}' are incomplete and left out; the "
                 "index column of points.csv is the dataset's sequence index",
                 incomplete, count, c.data);
  if (c.solver) spdlog::info("phasediagram: --solver ignored, the solver frames come from the dataset");
  return in;
}

Inputs from_grid(const PhaseDiagramConfig& c) {
  Inputs in;
  in.n = c.size;
  // The solver must run with the τ and material the model learned, unless told otherwise.
  in.physics = c.physics;
  if (!c.physics_given)
    if (const auto trained = surrogate::checkpoint_physics(c.model)) in.physics = *trained;
  in.points = evaluation::phase_grid(c.grid_options);
  for (const auto& p : in.points) {
    const FieldF f = evaluation::phase_point_field(p, c.size, c.grid_options.feature_size).cast<float>();
    in.initial.insert(in.initial.end(), f.data(), f.data() + f.size());
  }
  if (c.solver)
    in.solver = evaluation::run_solver_points(in.points, c.size, in.physics, c.frame,
                                              c.grid_options.feature_size, c.threads);
  return in;
}

/// The solver frames (of --data, or of --grid --solver with a physics section) must come
/// from the physics the model learned; refused before the long work unless allowed.
void check_physics(const PhaseDiagramConfig& c, const physics::Params& solver) {
  const auto trained = surrogate::checkpoint_physics(c.model);
  if (!trained) {
    spdlog::warn("phasediagram: checkpoint '{}' names no physics; cannot check it", c.model);
    return;
  }
  physics::require_same_physics(*trained, "model", solver,
                                c.grid ? "solver (--config physics)" : "data",
                                c.allow_physics_mismatch,
                                "phasediagram of '" + c.model + "' against " +
                                    (c.grid ? std::string("the solver") : "'" + c.data + "'"));
}

void run_phase_diagram(const PhaseDiagramConfig& c) {
  if (c.grid && c.solver && c.physics_given) check_physics(c, c.physics);
  const Inputs in = c.grid ? from_grid(c) : from_dataset(c);
  if (!c.grid) check_physics(c, in.physics);
  const surrogate::Surrogate model = surrogate::Surrogate::load(c.model, {c.device, c.threads});
  spdlog::info("phasediagram: {} points of {}², frame {}, surrogate on {}", in.points.size(), in.n,
               c.frame, model.device_name());
  std::vector<double> etas;
  for (const auto& p : in.points) etas.push_back(p.eta);
  const std::vector<float> finals = surrogate_finals(model, in.initial, etas, in.n, c.frame, c.batch);

  const evaluation::PhaseDiagramResult r =
      evaluation::classify_points(in.points, finals, in.solver, in.n, c.threshold, in.physics);
  evaluation::PhaseDiagramOutput out;
  out.out = c.out;
  out.physics = in.physics;
  out.frame = c.frame;
  out.source = c.grid ? "grid" : c.data;
  out.config = c.to_json();
  evaluation::write_phase_diagram(r, out);

  if (r.surrogate_diverged > 0)
    spdlog::warn("phasediagram: the surrogate diverged on {} points (class 'diverged')",
                 r.surrogate_diverged);
  if (r.has_solver)
    spdlog::info("phasediagram: surrogate and solver agree on {}/{} points ({:.1f} %); "
                 "{} surrogate-only separated, {} solver-only separated → {}/points.csv",
                 r.confusion.agreements(), r.confusion.total(), r.confusion.agreement_percent(),
                 r.confusion.surrogate_only_separated, r.confusion.solver_only_separated, c.out);
  else
    spdlog::info("phasediagram: {} points classified (agreement with Eq. 9: {:.1f} %) → "
                 "{}/points.csv",
                 r.points.size(), r.linear_theory_agreement_percent, c.out);
  if (c.plots && evaluation::make_plots("phase", c.out))
    spdlog::info("phasediagram: figure → {}/phase_diagram.png", c.out);
}

struct PhaseFlags {
  std::string config;
  PhaseDiagramConfig values;
  std::vector<double> phi_range, eta_range;
  bool no_plots = false;
};

}  // namespace

void setup_phasediagram(CLI::App& parent) {
  auto flags = std::make_shared<PhaseFlags>();
  PhaseDiagramConfig& v = flags->values;
  CLI::App* app = parent.add_subcommand(
      "phasediagram",
      "Classify (<phi>, eta) points as single phase (max phi - min phi < threshold at frame F)\n"
      "or phase separated with the surrogate, and compare with the solver (paper Fig. 8a).\n"
      "--data F.h5: points are the sequences of F (solver class from F's frame F, surrogate\n"
      "rolled out from phi_0). --grid: a regular grid of Perlin initial fields; --solver runs\n"
      "the solver on them too. Writes OUT/points.csv, OUT/summary.json (with the analytic\n"
      "spinodal line) and OUT/phase_diagram.png.");
  app->add_option("--config", flags->config,
                  "JSON config (sections phasediagram, physics; keys = flag names with _)")
      ->check(CLI::ExistingFile);
  std::vector<std::pair<CLI::Option*, std::function<void(PhaseDiagramConfig&)>>> overrides;
  auto bind = [&](CLI::Option* option, std::function<void(PhaseDiagramConfig&)> apply) {
    overrides.emplace_back(option, std::move(apply));
  };
  auto copy = [flags](auto member) {
    return [flags, member](PhaseDiagramConfig& c) { c.*member = flags->values.*member; };
  };
  auto copy_grid = [flags](auto member) {
    return [flags, member](PhaseDiagramConfig& c) {
      c.grid_options.*member = flags->values.grid_options.*member;
    };
  };
  using C = PhaseDiagramConfig;
  using G = evaluation::PhaseGridOptions;
  bind(app->add_option("--model", v.model, "surrogate checkpoint (.pt)"), copy(&C::model));
  bind(app->add_option("--data", v.data, "points = the sequences of this dataset"), copy(&C::data));
  bind(app->add_flag("--grid", v.grid, "points on a regular (<phi>, eta) grid"), copy(&C::grid));
  bind(app->add_option("--phi-range", flags->phi_range, "<phi> range of the grid [0.15 0.85]")
           ->expected(2),
       [flags](C& c) { c.grid_options.phi_range = {flags->phi_range[0], flags->phi_range[1]}; });
  bind(app->add_option("--eta-range", flags->eta_range,
                       "eta range of the grid, fractions (0.006 = 0.6 %) [0 0.012]")
           ->expected(2),
       [flags](C& c) { c.grid_options.eta_range = {flags->eta_range[0], flags->eta_range[1]}; });
  bind(app->add_option("--phi-points", v.grid_options.phi_points, "grid points along <phi> [15]"),
       copy_grid(&G::phi_points));
  bind(app->add_option("--eta-points", v.grid_options.eta_points, "grid points along eta [13]"),
       copy_grid(&G::eta_points));
  bind(app->add_option("--amplitude", v.grid_options.amplitude,
                       "peak amplitude of the Perlin initial fields [0.1]"),
       copy_grid(&G::amplitude));
  bind(app->add_option("--feature-size", v.grid_options.feature_size,
                       "Perlin cell size in pixels [16]"),
       copy_grid(&G::feature_size));
  bind(app->add_option("--seed", v.grid_options.seed, "master seed of the grid's fields [0]"),
       copy_grid(&G::seed));
  bind(app->add_option("--size", v.size, "grid size N of the --grid fields [128]"), copy(&C::size));
  bind(app->add_flag("--solver", v.solver, "--grid: also run the solver for comparison"),
       copy(&C::solver));
  bind(app->add_option("-o,--out", v.out, "output directory (created if needed)"), copy(&C::out));
  bind(app->add_option("--frame", v.frame, "classify frame F, t = F tau [100]"), copy(&C::frame));
  bind(app->add_option("--threshold", v.threshold,
                       "single phase when max phi - min phi < threshold [0.05]"),
       copy(&C::threshold));
  bind(app->add_option("--device", v.device, "auto | cpu | cuda [auto]")
           ->check(CLI::IsMember({"auto", "cpu", "cuda"})),
       copy(&C::device));
  bind(app->add_option("--threads", v.threads, "CPU threads [0 = all cores]"), copy(&C::threads));
  bind(app->add_option("--batch", v.batch, "points rolled out together [8]"), copy(&C::batch));
  bind(app->add_option("--max-sequences", v.max_sequences, "--data: first K sequences [0 = all]"),
       copy(&C::max_sequences));
  bind(app->add_flag("--allow-physics-mismatch", v.allow_physics_mismatch,
                     "run although the model's physics differ from the solver's (--data's, or "
                     "--config's physics section): a warning instead of an error"),
       copy(&C::allow_physics_mismatch));
  auto* o_no_plots = app->add_flag("--no-plots", flags->no_plots, "skip the PNG figure");

  app->callback([flags, overrides, o_no_plots] {
    PhaseDiagramConfig c = PhaseDiagramConfig::from_json(load_config(flags->config));
    for (const auto& [option, apply] : overrides)
      if (option->count() > 0) apply(c);
    if (o_no_plots->count() > 0) c.plots = false;
    c.threads = resolve_threads(c.threads);
    c.validate();
    log_config("phasediagram", c.to_json());
    run_phase_diagram(c);
  });
}

}  // namespace csd::app

#endif  // CSD_WITH_TORCH
