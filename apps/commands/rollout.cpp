// csd rollout: long and large-domain surrogate predictions from any initial field.
//   csd rollout --model data/model-small.pt --out big.h5 --eta 0.004 --frames 101 --perlin --size 512
//   csd rollout --model M.pt --out r.h5 --eta 0.006 --frames 1001 --from test.h5 --index 3
#include <spdlog/spdlog.h>

#include <memory>

#include "command.h"
#include "csd/core/error.h"
#include "csd/surrogate/rollout_job.h"

namespace csd::app {

void setup_rollout(CLI::App& parent) {
  auto job = std::make_shared<surrogate::RolloutJob>();
  auto perlin = std::make_shared<bool>(false);
  auto radial = std::make_shared<bool>(false);
  CLI::App* app = parent.add_subcommand(
      "rollout",
      "Predict an evolution with the surrogate from phi_0 and eta, on any N and for any number\n"
      "of frames; writes the dataset schema (S = 1), readable by analyze/evaluate.");
  app->add_option("--model", job->model, "surrogate checkpoint (.pt)")->required();
  app->add_option("-o,--out", job->out, "output HDF5 file")->required();
  app->add_option("--eta", job->eta, "misfit η as a fraction (0.006 = 0.6 %)")->required();
  app->add_option("--frames", job->frames, "frames T including phi_0 (e.g. 1001 = 10× the paper's training length)")
      ->required();
  auto* from = app->add_option("--from", job->from, "initial field from this HDF5 file");
  app->add_option("--from-dataset", job->from_dataset, "dataset name in --from [phi]");
  app->add_option("--index", job->index, "sequence index in --from [0]");
  auto* o_perlin = app->add_flag("--perlin", *perlin, "Perlin-noise initial field");
  auto* o_radial = app->add_flag("--radial", *radial,
                                 "composition higher at the centre, lower at the edges (Fig. 7c)");
  from->excludes(o_perlin)->excludes(o_radial);
  o_perlin->excludes(o_radial);
  app->add_option("--size", job->size, "grid size N for --perlin/--radial [128]");
  app->add_option("--mean-phi", job->mean_phi, "⟨φ⟩ of the Perlin field [0.5]");
  app->add_option("--amplitude", job->amplitude, "peak fluctuation amplitude [0.1]");
  app->add_option("--feature-size", job->feature_size, "Perlin cell size in pixels [16]");
  app->add_option("--radial-centre", job->radial_centre, "⟨φ⟩ at the centre for --radial [0.6]");
  app->add_option("--radial-edge", job->radial_edge, "⟨φ⟩ at the edges for --radial [0.3]");
  app->add_option("--seed", job->seed, "seed of the initial field [0]");
  app->add_option("--png-every", job->png_every, "write OUT.png/seq00000_tT.png every K frames");
  app->add_option("--device", job->device.device, "auto | cpu | cuda [auto]")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  app->add_option("--threads", job->device.threads, "CPU threads [0 = all cores]");
  app->add_flag("--overwrite", job->overwrite, "replace an existing output file");
  app->callback([job, perlin, radial, from] {
    if (from->count()) job->init = "file";
    else if (*radial) job->init = "radial";
    else job->init = "perlin";
    job->device.threads = resolve_threads(job->device.threads);
    job->validate();
    create_parent_directory(job->out);
    log_config("rollout", job->to_json());
    const surrogate::RolloutSummary s = surrogate::run_rollout(*job);
    spdlog::info("rollout: {} frames of {}² in {:.2f} s ({:.1f} ms/frame), max |Δ⟨φ⟩| = {:.2e} → {}",
                 s.frames, s.size, s.seconds, s.ms_per_frame, s.mass_drift, job->out);
  });
}

}  // namespace csd::app
