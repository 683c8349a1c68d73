// csd train: physics-informed training of the conv-GRU surrogate (paper Sec. 2.3;
// docs/training.md).
//   csd train --config configs/quick/model.json --data runs/quick/train.h5 --out runs/quick/model
#include <spdlog/spdlog.h>

#include <memory>

#include "command.h"
#include "csd/surrogate/surrogate.h"
#include "options_cli.h"

namespace csd::app {

void setup_train(CLI::App& parent) {
  using surrogate::TrainConfig;
  CLI::App* app = parent.add_subcommand(
      "train",
      "Train the surrogate on a dataset (docs/training.md). Default recipe (scheme rollout):\n"
      "windows at random start times, warmed up on true frames, then free predictions that\n"
      "carry the loss (4 -> 20 frames); mean-free noise 5e-3 on every input, predictions fed\n"
      "back included; loss terms normalised on the data; 8 square symmetries and phi -> 1-phi;\n"
      "Adam with warm-up and cosine decay, clip 1. --scheme curriculum is the paper's teacher\n"
      "forcing (configs/paper/curriculum.json). Writes OUT/best.pt, latest.pt, history.csv,\n"
      "loss.png. Long runs resume exactly with --resume. Every key of the config's section\n"
      "train is also a flag; the architecture is the section model. Started as several\n"
      "processes (torchrun's RANK/WORLD_SIZE/MASTER_ADDR/MASTER_PORT, or srun's SLURM_PROCID/\n"
      "SLURM_NTASKS), it trains data-parallel over torch c10d (README \"Scaling out\").");
  auto config = std::make_shared<std::string>();
  app->add_option("--config", *config, "JSON config (sections train, model); flags override it")
      ->check(CLI::ExistingFile);
  auto flags = std::make_shared<OptionFlags<TrainConfig>>(app, surrogate::train_options());
  app->callback([config, flags] {
    TrainConfig c = TrainConfig::from_json(load_config(*config));
    flags->apply(c);
    c.threads = resolve_threads(c.threads);
    c.validate();
    log_config("train", c.to_json());
    const auto history = surrogate::train(c);
    if (!history.empty()) {
      double best = history.front().validation_loss;
      for (const auto& r : history) best = std::min(best, r.validation_loss);
      spdlog::info("train: {} epochs, best validation loss {:.4g} → {}/best.pt", history.size(),
                   best, c.out);
    }
  });
}

}  // namespace csd::app
