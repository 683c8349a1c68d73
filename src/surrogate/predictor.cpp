#include "csd/surrogate/predictor.h"

#include <optional>

namespace csd::surrogate {
namespace {

class SurrogatePredictor : public evaluation::Predictor {
 public:
  SurrogatePredictor(const std::string& checkpoint, const DeviceOptions& device)
      : checkpoint_(checkpoint),
        physics_(checkpoint_physics(checkpoint)),
        model_(Surrogate::load(checkpoint, device)) {}

  std::vector<float> rollout_batch(const std::vector<float>& phi0, int batch, int n,
                                   const std::vector<double>& etas, int frames,
                                   const std::function<void(int)>& on_frame) const override {
    return model_.rollout_batch(phi0, batch, n, etas, frames, on_frame);
  }
  std::string description() const override {
    return "surrogate '" + checkpoint_ + "' on " + model_.device_name();
  }
  std::optional<physics::Params> physics() const override { return physics_; }
  // η outside the training range: Surrogate warns once per loaded model.

 private:
  std::string checkpoint_;
  std::optional<physics::Params> physics_;
  Surrogate model_;
};

}  // namespace

std::unique_ptr<evaluation::Predictor> load_predictor(const std::string& checkpoint,
                                                      const DeviceOptions& device) {
  return std::make_unique<SurrogatePredictor>(checkpoint, device);
}

}  // namespace csd::surrogate
