// csd generate: datasets of Cahn–Hilliard evolutions with cubic elasticity (paper Sec. 2.2).
//   csd generate --config configs/paper/train.json --out train.h5
//   csd generate --out demo.h5 --sequences 8 --frames 20 --size 64 --eta 0.006 --png-every 5
#include <spdlog/spdlog.h>

#include <memory>

#include "command.h"
#include "csd/core/progress.h"
#include "csd/io/dataset.h"
#include "csd/pipeline/generate.h"

namespace csd::app {
namespace {

struct GenerateFlags {
  std::string config, out, init, init_from, init_dataset = "phi", fft_plans;
  int sequences = 0, frames = 0, size = 0, threads = 0, init_index = 0, png_every = 0;
  double eta = 0, mean_phi = 0, amplitude = 0, noise = 0, dt = 0, feature_size = 0;
  int steps_per_frame = 0, max_new = 0;
  std::vector<double> eta_range, mean_phi_range;
  std::uint64_t seed = 0;
  bool resume = false, overwrite = false;
};

}  // namespace

void setup_generate(CLI::App& parent) {
  auto flags = std::make_shared<GenerateFlags>();
  CLI::App* app = parent.add_subcommand(
      "generate",
      "Generate a dataset of phase-field evolutions (HDF5, schema in README).\n"
      "Each sequence: Perlin (or radial / file) initial field, random or fixed <phi> and eta,\n"
      "T frames of tau = steps_per_frame * dt. Sequences run in parallel; a killed run\n"
      "leaves OUT.part, continued with --resume.");
  auto* o_config = app->add_option("--config", flags->config,
                                   "JSON config (sections generate, physics); flags override it")
                       ->check(CLI::ExistingFile);
  auto* o_out = app->add_option("-o,--out", flags->out, "output HDF5 file");
  auto* o_seq = app->add_option("--sequences", flags->sequences, "number of sequences S [4]");
  auto* o_frames = app->add_option("--frames", flags->frames,
                                   "frames T per sequence, including t = 0 [100]");
  auto* o_size = app->add_option("--size", flags->size, "grid size N (N×N, even) [128]");
  auto* o_eta = app->add_option("--eta", flags->eta,
                                "fixed misfit η as a fraction (0.006 = 0.6 %)");
  auto* o_eta_range = app->add_option("--eta-range", flags->eta_range,
                                      "η drawn uniformly in [A, B] [0 0.012]")
                          ->expected(2);
  auto* o_mean = app->add_option("--mean-phi", flags->mean_phi, "fixed mean composition ⟨φ⟩");
  auto* o_mean_range = app->add_option("--mean-phi-range", flags->mean_phi_range,
                                       "⟨φ⟩ drawn uniformly in [A, B] [0.2 0.8]")
                           ->expected(2);
  auto* o_amp = app->add_option("--amplitude", flags->amplitude,
                                "fixed peak fluctuation amplitude A (default: |N(0, 0.1²)|)");
  auto* o_feature = app->add_option("--feature-size", flags->feature_size,
                                    "Perlin lattice cell size in pixels [16]");
  auto* o_seed = app->add_option("--seed", flags->seed, "master seed [0]");
  auto* o_noise = app->add_option("--noise", flags->noise,
                                  "solver noise σ per step and pixel, mass-conserving [0]");
  auto* o_threads = app->add_option("--threads", flags->threads,
                                    "worker threads, one sequence each [0 = all cores]");
  auto* o_init = app->add_option("--init", flags->init, "initial field: perlin | radial [perlin]")
                     ->check(CLI::IsMember({"perlin", "radial", "file"}));
  auto* o_init_from = app->add_option("--init-from", flags->init_from,
                                      "start every sequence from a field in this HDF5 file");
  auto* o_init_ds = app->add_option("--init-dataset", flags->init_dataset,
                                    "dataset name in --init-from [phi]");
  auto* o_init_index = app->add_option("--init-index", flags->init_index,
                                       "sequence index in --init-from [0]");
  auto* o_png = app->add_option("--png-every", flags->png_every,
                                "write OUT.png/seqS_tT.png every K frames for the first 4 "
                                "sequences [0 = none]");
  auto* o_dt = app->add_option("--dt", flags->dt, "time step δt [0.01]");
  auto* o_spf = app->add_option("--steps-per-frame", flags->steps_per_frame,
                                "solver steps per frame τ [100]");
  auto* o_fft = app->add_option("--fft-plans", flags->fft_plans,
                                "FFTW plans: wisdom (timed once per machine, cached in "
                                "~/.cache/csd) | estimate [wisdom]")
                    ->check(CLI::IsMember({"wisdom", "estimate"}));
  auto* o_max_new = app->add_option("--max-new-sequences", flags->max_new,
                                    "stop after K new sequences, keeping OUT.part for --resume");
  auto* o_resume = app->add_flag("--resume", flags->resume, "continue OUT.part of a killed run");
  auto* o_over = app->add_flag("--overwrite", flags->overwrite,
                               "replace OUT (the old file stays until the new one is complete)");
  o_resume->excludes(o_over);
  (void)o_config;

  app->callback([flags, o_out, o_seq, o_frames, o_size, o_eta, o_eta_range, o_mean, o_mean_range,
                 o_amp, o_feature, o_seed, o_noise, o_threads, o_init, o_init_from, o_init_ds,
                 o_init_index, o_png, o_dt, o_spf, o_resume, o_over, o_max_new, o_fft] {
    const GenerateFlags& f = *flags;
    pipeline::GenerateConfig c = pipeline::GenerateConfig::from_json(load_config(f.config));
    override_if_given(o_out, f.out, c.out);
    override_if_given(o_seq, f.sequences, c.sequences);
    override_if_given(o_frames, f.frames, c.frames);
    override_if_given(o_size, f.size, c.size);
    if (o_eta->count()) c.eta = f.eta;
    if (o_eta_range->count()) {
      c.eta.reset();
      c.eta_range = {f.eta_range[0], f.eta_range[1]};
    }
    if (o_mean->count()) c.mean_phi = f.mean_phi;
    if (o_mean_range->count()) {
      c.mean_phi.reset();
      c.mean_phi_range = {f.mean_phi_range[0], f.mean_phi_range[1]};
    }
    if (o_amp->count()) c.amplitude = f.amplitude;
    override_if_given(o_feature, f.feature_size, c.feature_size);
    override_if_given(o_seed, f.seed, c.seed);
    override_if_given(o_noise, f.noise, c.noise);
    override_if_given(o_threads, f.threads, c.threads);
    override_if_given(o_init, f.init, c.init);
    if (o_init_from->count()) {
      c.init = "file";
      c.init_from = f.init_from;
    }
    override_if_given(o_init_ds, f.init_dataset, c.init_dataset);
    override_if_given(o_init_index, f.init_index, c.init_index);
    override_if_given(o_png, f.png_every, c.png_every);
    override_if_given(o_dt, f.dt, c.physics.dt);
    override_if_given(o_spf, f.steps_per_frame, c.physics.steps_per_frame);
    override_if_given(o_fft, f.fft_plans, c.fft_plans);
    override_if_given(o_max_new, f.max_new, c.max_new_sequences);
    override_if_given(o_resume, f.resume, c.resume);
    override_if_given(o_over, f.overwrite, c.overwrite);
    c.threads = resolve_threads(c.threads);
    c.validate();
    create_parent_directory(c.out);
    log_config("generate", c.to_json());
    spdlog::info("generate: {} sequences × {} frames of {}², {} threads → {}", c.sequences,
                 c.frames, c.size, c.threads, c.out);
    const pipeline::GenerateSummary s = pipeline::generate(c);
    spdlog::info("generate: wrote {} sequences ({} already complete{}) in {}, {:.1f} frames/s → {}",
                 s.sequences_written, s.sequences_already_complete,
                 s.finished ? "" : fmt::format(", {} left: continue with --resume", s.sequences_left),
                 format_duration(s.seconds), s.frames_per_second,
                 s.finished ? c.out : io::partial_path(c.out));
  });
}

}  // namespace csd::app
