// csd rollout: long and large-domain surrogate predictions from any initial field.
//   csd rollout --model data/model-small.pt --out big.h5 --eta 0.004 --frames 101 --perlin --size 512
//   csd rollout --model M.pt --out r.h5 --eta 0.006 --frames 1001 --from test.h5 --index 3
//   csd rollout --config configs/paper/large_eta04.json
//   csd rollout --model M.pt --out r.h5 --eta 0.006 --frames 101 --from phi.h5 --gif 5  (phi.h5 from csd import)
// The work is surrogate::run_rollout (csd/surrogate/rollout_job.h).
#include <spdlog/spdlog.h>

#include <memory>

#include "command.h"
#include "csd/core/error.h"
#include "csd/surrogate/rollout_job.h"
#include "options_cli.h"

namespace csd::app {

void setup_rollout(CLI::App& parent) {
  using surrogate::RolloutJob;
  CLI::App* app = parent.add_subcommand(
      "rollout",
      "Predict an evolution with the surrogate from phi_0 and eta, on any N and for any number\n"
      "of frames; writes the dataset schema (S = 1), readable by analyze/evaluate, and with\n"
      "--gif K an animated GIF OUT.gif. --from takes any csd dataset, e.g. from `csd import`.\n"
      "--model, --out, --eta and --frames are needed, as flags or in --config.");
  auto config = std::make_shared<std::string>();
  auto perlin = std::make_shared<bool>(false);
  auto radial = std::make_shared<bool>(false);
  app->add_option("--config", *config, "JSON config (section rollout; keys = long flag names with _); "
                  "flags override it")
      ->check(CLI::ExistingFile);
  auto flags = std::make_shared<OptionFlags<RolloutJob>>(app, surrogate::rollout_options(),
                                                          std::vector<std::string>{"init"});
  auto* o_perlin = app->add_flag("--perlin", *perlin, "Perlin-noise initial field (the default)");
  auto* o_radial = app->add_flag("--radial", *radial,
                                 "composition higher at the centre, lower at the edges (Fig. 7c)");
  CLI::Option* o_from = app->get_option("--from");
  o_from->excludes(o_perlin)->excludes(o_radial);
  o_perlin->excludes(o_radial);

  app->callback([config, flags, perlin, radial] {
    const Json file = load_config(*config);
    RolloutJob job = RolloutJob::from_json(file);
    flags->apply(job);
    const Json section = section_or_empty(file, "rollout");
    for (const char* key : {"model", "out", "eta", "frames"})
      require(flags->given(key) || section.contains(key),
              std::string("rollout needs ") + option_flag(key) + " (a flag or the key '" + key +
                  "' in --config)");
    if (flags->given("from") || (section.contains("from") && !section.contains("init")))
      job.init = "file";
    else if (*radial) job.init = "radial";
    else if (*perlin) job.init = "perlin";
    job.device.threads = resolve_threads(job.device.threads);
    job.validate();
    create_parent_directory(job.out);
    log_config("rollout", job.to_json());
    const surrogate::RolloutSummary s = surrogate::run_rollout(job);
    spdlog::info("rollout: {} frames of {}² in {:.2f} s ({:.1f} ms/frame), max |Δ⟨φ⟩| = {:.2e} → {}",
                 s.frames, s.size, s.seconds, s.ms_per_frame, s.mass_drift, job.out);
  });
}

}  // namespace csd::app
