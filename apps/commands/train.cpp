// csd train: physics-informed training of the conv-GRU surrogate (paper Sec. 2.3;
// docs/training.md).
//   csd train --config configs/quick/model.json --data runs/quick/train.h5 --out runs/quick/model
#include <spdlog/spdlog.h>

#include <memory>

#include "command.h"
#include "csd/surrogate/surrogate.h"

namespace csd::app {
namespace {
struct TrainFlags {
  std::string config, data, out, device, lr_schedule, loss_balance, scheme, init_from;
  int epochs = 0, threads = 0, batch_size = 0, curriculum_epochs = 0, max_frames = 0,
      max_sequences = 0;
  double learning_rate = 0, lr_final = 0, input_noise = 0;
  std::uint64_t seed = 0;
  bool resume = false, overwrite = false;
};
}  // namespace

void setup_train(CLI::App& parent) {
  auto f = std::make_shared<TrainFlags>();
  CLI::App* app = parent.add_subcommand(
      "train",
      "Train the surrogate on a dataset (docs/training.md). Default recipe (scheme rollout):\n"
      "windows at random start times, warmed up on true frames, then free predictions that\n"
      "carry the loss (4 -> 20 frames); mean-free noise 5e-3 on every input, predictions fed\n"
      "back included; loss terms normalised on the data; 8 square symmetries and phi -> 1-phi;\n"
      "Adam with warm-up and cosine decay, clip 1. --scheme curriculum is the paper's teacher\n"
      "forcing (configs/paper/curriculum.json). Writes OUT/best.pt, latest.pt, history.csv,\n"
      "loss.png. Long runs resume exactly with --resume.");
  app->add_option("--config", f->config, "JSON config (sections train, model)")
      ->check(CLI::ExistingFile);
  auto* data = app->add_option("--data", f->data, "training dataset (HDF5 from csd generate)");
  auto* out = app->add_option("-o,--out", f->out, "output directory");
  auto* epochs = app->add_option("--epochs", f->epochs, "epochs [100]");
  auto* scheme = app->add_option("--scheme", f->scheme,
                                 "rollout (windows, the default recipe) | curriculum (the "
                                 "paper's teacher forcing) [rollout]")
                     ->check(CLI::IsMember({"rollout", "curriculum"}));
  auto* init_from = app->add_option("--init-from", f->init_from,
                                    "start from the weights of this checkpoint (same "
                                    "architecture and physics), e.g. a first stage");
  auto* noise = app->add_option("--input-noise", f->input_noise,
                                "sigma of the mean-free input noise [5e-3]");
  auto* device = app->add_option("--device", f->device, "auto | cpu | cuda [auto]")
                     ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  auto* threads = app->add_option("--threads", f->threads, "CPU threads [0 = all cores]");
  auto* batch = app->add_option("--batch-size", f->batch_size, "sequences per batch [8]");
  auto* lr = app->add_option("--lr", f->learning_rate, "Adam learning rate [1e-3]");
  auto* schedule =
      app->add_option("--lr-schedule", f->lr_schedule,
                      "warmup_cosine: per step, train.warmup_steps of linear warm-up, then half "
                      "a cosine to --lr-final x lr | cosine: per epoch, after the curriculum | "
                      "constant [warmup_cosine]")
          ->check(CLI::IsMember({"constant", "cosine", "warmup_cosine"}));
  auto* lr_final = app->add_option("--lr-final", f->lr_final,
                                   "cosine schedule: final learning rate as a fraction of --lr [0.05]");
  auto* balance =
      app->add_option("--loss-balance", f->loss_balance,
                      "none | persistence: weigh each sequence's loss by 1 / (loss of 'nothing "
                      "changes' + train.balance_floor) [none, as in the paper]")
          ->check(CLI::IsMember({"none", "persistence"}));
  auto* ramp = app->add_option("--curriculum-epochs", f->curriculum_epochs,
                               "curriculum: epochs over which given frames ramp from T-1 to 1 [20]");
  auto* max_frames = app->add_option("--max-frames", f->max_frames,
                                     "use only the first frames of each sequence [all]");
  auto* max_seq = app->add_option("--max-sequences", f->max_sequences,
                                  "use only the first sequences [all]");
  auto* seed = app->add_option("--seed", f->seed, "seed of split, augmentation, noise [1]");
  auto* resume = app->add_flag("--resume", f->resume, "continue from OUT/latest.pt");
  auto* overwrite = app->add_flag("--overwrite", f->overwrite,
                                  "start a new run in an OUT that holds an earlier one "
                                  "(latest.pt, best.pt), replacing its files");
  app->callback([=] {
    surrogate::TrainConfig c = surrogate::TrainConfig::from_json(load_config(f->config));
    override_if_given(data, f->data, c.data);
    override_if_given(out, f->out, c.out);
    override_if_given(epochs, f->epochs, c.epochs);
    override_if_given(scheme, f->scheme, c.scheme);
    override_if_given(init_from, f->init_from, c.init_from);
    override_if_given(noise, f->input_noise, c.input_noise);
    override_if_given(device, f->device, c.device);
    override_if_given(threads, f->threads, c.threads);
    override_if_given(batch, f->batch_size, c.batch_size);
    override_if_given(lr, f->learning_rate, c.learning_rate);
    override_if_given(ramp, f->curriculum_epochs, c.curriculum_epochs);
    override_if_given(schedule, f->lr_schedule, c.lr_schedule);
    override_if_given(balance, f->loss_balance, c.loss_balance);
    override_if_given(lr_final, f->lr_final, c.lr_final);
    override_if_given(max_frames, f->max_frames, c.max_frames);
    override_if_given(max_seq, f->max_sequences, c.max_sequences);
    override_if_given(seed, f->seed, c.seed);
    override_if_given(resume, f->resume, c.resume);
    override_if_given(overwrite, f->overwrite, c.overwrite);
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
