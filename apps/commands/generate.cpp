// csd generate: datasets of Cahn–Hilliard evolutions with cubic elasticity (paper Sec. 2.2).
//   csd generate --config configs/paper/train.json --out train.h5
//   csd generate --out demo.h5 --sequences 8 --frames 20 --size 64 --eta 0.006 --png-every 5
//   csd generate --config configs/paper/train.json --device cuda --out train.h5  (LibTorch solver)
//   csd generate --config configs/paper/train.json --shard 3/8 --out train.3.h5   (then csd merge)
#include <spdlog/spdlog.h>

#include <memory>

#include "command.h"
#include "csd/core/progress.h"
#include "csd/io/dataset.h"
#include "csd/pipeline/generate.h"
#include "options_cli.h"
#ifdef CSD_WITH_TORCH
#include "csd/surrogate/torch_solver.h"
#endif

namespace csd::app {
namespace {

/// The LibTorch solver for --solver torch, its device checked before any output exists;
/// empty for fftw (and without LibTorch, where pipeline::generate names the rebuild).
physics::BatchSolverFactory batch_solver(const pipeline::GenerateConfig& c) {
  if (c.solver != "torch") return {};
#ifdef CSD_WITH_TORCH
  return surrogate::torch_solver_factory(c.device, c.threads);
#else
  return {};
#endif
}

}  // namespace

void setup_generate(CLI::App& parent) {
  using pipeline::GenerateConfig;
  CLI::App* app = parent.add_subcommand(
      "generate",
      "Generate a dataset of phase-field evolutions (HDF5, schema in README).\n"
      "Each sequence: Perlin (or radial / file) initial field, random or fixed <phi> and eta,\n"
      "T frames of tau = steps_per_frame * dt. Sequences run in parallel; a killed run\n"
      "leaves OUT.part, continued with --resume.");
  auto config = std::make_shared<std::string>();
  auto physics = std::make_shared<physics::Params>();
  app->add_option("--config", *config, "JSON config (sections generate, physics); flags override it")
      ->check(CLI::ExistingFile);
  auto flags = std::make_shared<OptionFlags<GenerateConfig>>(app, pipeline::generate_options());
  // The two physics keys users change most; the rest through the config's physics section.
  auto* o_dt = app->add_option("--dt", physics->dt, "time step δt [0.01]");
  auto* o_spf = app->add_option("--steps-per-frame", physics->steps_per_frame,
                                "solver steps per frame τ [100]");
  app->get_option("--resume")->excludes(app->get_option("--overwrite"));

  app->callback([config, flags, physics, o_dt, o_spf] {
    GenerateConfig c = GenerateConfig::from_json(load_config(*config));
    flags->apply(c);
    override_if_given(o_dt, physics->dt, c.physics.dt);
    override_if_given(o_spf, physics->steps_per_frame, c.physics.steps_per_frame);
    c.threads = resolve_threads(c.threads);
    c.validate();
    create_parent_directory(c.out);
    log_config("generate", c.to_json());
    spdlog::info("generate: {} sequences{} × {} frames of {}², {} threads{} → {}", c.sequences,
                 c.shard.empty() ? "" : " (shard " + c.shard + ": s ≡ I mod N)", c.frames, c.size,
                 c.threads,
                 c.solver == "torch" ? fmt::format(", torch solver on {}, batch {}", c.device, c.batch)
                                     : "",
                 c.out);
    const pipeline::GenerateSummary s = pipeline::generate(c, batch_solver(c));
    spdlog::info("generate: wrote {} sequences ({} already complete{}) in {}, {:.1f} frames/s → {}",
                 s.sequences_written, s.sequences_already_complete,
                 s.finished ? "" : fmt::format(", {} left: continue with --resume", s.sequences_left),
                 format_duration(s.seconds), s.frames_per_second,
                 s.finished ? c.out : io::partial_path(c.out));
  });
}

}  // namespace csd::app
